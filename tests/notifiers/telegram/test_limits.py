"""The sender's pacing, on explicit clock values (no waiting)."""

from __future__ import annotations

import pytest

from icesco_watch.notifiers.telegram.limits import MARGIN, Pacer, SlidingWindow, is_group


def test_sliding_window_admits_limit_events_per_period() -> None:
    window = SlidingWindow(3, 10.0)
    for at in (0.0, 1.0, 2.0):
        assert window.ready_at(at) == at
        window.record(at)
    assert window.ready_at(3.0) == 10.0
    assert window.ready_at(10.5) == 10.5  # the first event left the window
    assert not window.idle(11.0)
    assert window.idle(12.0)


def test_one_message_per_second_per_chat() -> None:
    pacer = Pacer(rate_per_second=1000)
    pacer.record("42", 0.0)
    assert pacer.ready_at("42", 0.5) == pytest.approx(1.0 + MARGIN)
    assert pacer.ready_at("43", 0.5) == 0.5  # other chats are not held back


def test_the_next_message_to_a_chat_waits_a_full_interval_after_the_answer() -> None:
    # The first request was held up on its way: it left at 0.0 but was answered at 0.4, so it
    # may have reached Telegram at 0.39; the next one must not arrive within a second of that.
    pacer = Pacer(rate_per_second=1000)
    pacer.record("42", 0.0)
    pacer.answered("42", 0.4)
    assert pacer.ready_at("42", 1.1) == pytest.approx(1.4 + MARGIN)
    pacer.answered("43", 0.4)  # a chat with nothing sent is not held back by an answer
    assert pacer.ready_at("43", 0.5) == 0.5


def test_global_rate_spaces_messages_and_makes_up_for_lateness() -> None:
    pacer = Pacer(rate_per_second=4)
    sent = []
    now = 0.0
    for n in range(5):
        now = pacer.ready_at(f"chat{n}", now)
        sent.append(now)
        pacer.record(f"chat{n}", now)
    assert sent == pytest.approx([0.0, 0.125, 0.375, 0.625, 0.875])  # 1/4 s apart after the 1st
    late = 2.0  # the loop woke up late: the next one may leave half an interval early
    pacer.record("chat9", late)
    assert pacer.ready_at("chat10", late) == pytest.approx(late + 0.125)
    assert pacer.ready_at("chat11", 0.0) == pytest.approx(late + 0.125)


def test_groups_get_twenty_a_minute() -> None:
    pacer = Pacer(rate_per_second=1000, per_chat_interval=0.0)
    for n in range(20):
        pacer.record("-100123", float(n * 2))
    assert pacer.ready_at("-100123", 40.0) == pytest.approx(60.0 + MARGIN)
    assert pacer.ready_at("555", 40.0) == 40.0


def test_flood_pause_holds_every_chat() -> None:
    pacer = Pacer(rate_per_second=25)
    pacer.pause(7.0)
    assert pacer.ready_at("1", 2.0) == 7.0
    assert pacer.ready_at("@channel", 2.0) == 7.0


@pytest.mark.parametrize(
    ("chat", "group"), [("123", False), ("-100123", True), ("-5", True), ("@icesco_edu", True)]
)
def test_what_counts_as_a_group(chat: str, group: bool) -> None:
    assert is_group(chat) is group


def test_other_instances_sends_hold_a_chat_this_pacer_already_knows() -> None:
    pacer = Pacer(rate_per_second=1000)
    pacer.record("42", 0.0)  # long ago: this pacer's own window for the chat is empty again
    pacer.prime("42", [5.0])  # another instance sent to it since
    assert pacer.ready_at("42", 5.2) == pytest.approx(6.0 + MARGIN)
    pacer.prime("42", [])  # the store has nothing recent from others any more
    assert pacer.ready_at("42", 5.2) == 5.2


def test_priming_a_group_twice_counts_the_others_sends_once() -> None:
    pacer = Pacer(rate_per_second=1000, per_chat_interval=0.0)
    for n in range(10):
        pacer.record("-100123", float(n))  # ten of this pacer's own
    others = [10.0 + n for n in range(9)]  # nine of another instance's
    pacer.prime("-100123", others)
    pacer.prime("-100123", others)  # the next claim reads the same record again
    assert pacer.ready_at("-100123", 20.0) == 20.0  # 19 in the minute: one more fits
    pacer.prime("-100123", [*others, 19.0])
    assert pacer.ready_at("-100123", 20.0) == pytest.approx(60.0 + MARGIN)  # 20: the oldest leaves
