"""Per-chat command budgets and fair handling: the pure budget, then floods through real PTB."""

from __future__ import annotations

from pathlib import Path

from icesco_watch.notifiers.telegram.commands import SLOW_DOWN
from icesco_watch.notifiers.telegram.fairness import Admission, CommandBudget
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.schema import open_store
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import Chat, make_settings, with_bot

RUN, WARN, DROP = Admission.RUN, Admission.WARN, Admission.DROP


def test_a_budget_warns_once_then_stays_silent_until_it_has_refilled() -> None:
    budget = CommandBudget(per_minute=60, burst=3)  # one token a second
    assert [budget.admit("a", 0.0) for _ in range(6)] == [RUN, RUN, RUN, WARN, DROP, DROP]
    assert budget.admit("b", 0.0) is RUN  # another chat has its own budget
    assert budget.admit("a", 2.0) is DROP  # refilling, not yet full: still silent
    assert budget.admit("a", 3.5) is RUN  # full again (the silent commands cost nothing)
    assert [budget.admit("a", 3.5) for _ in range(3)] == [RUN, RUN, WARN]


def test_a_steady_chat_under_its_budget_is_never_refused() -> None:
    budget = CommandBudget(per_minute=20, burst=5)
    assert {budget.admit("a", n * 3.0) for n in range(200)} == {RUN}


def test_budgets_of_quiet_chats_are_forgotten() -> None:
    budget = CommandBudget(per_minute=60, burst=2)
    for chat in range(10_000):
        budget.admit(str(chat), 0.0)
    budget.admit("late", 10.0)  # the 10,001st chat: every refilled bucket is dropped
    assert budget.admit("0", 10.0) is RUN
    assert len(budget._buckets) <= 2


def test_a_flood_from_one_chat_does_not_delay_another(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    flooder, other = Chat(api, 7001), Chat(api, 7002)
    burst = 3

    async def scenario(sender: Sender) -> None:
        await api.wait_for_async(lambda fake: fake.polling > 0)
        for n in range(500):
            flooder.send(f"/help {n}")
        # Before: replies were paced inside one sequential handler, so this waited 500 s.
        reply = await other.ask("/help", timeout=10)
        assert "ICESCO news alerts" in reply
        await api.wait_for_async(lambda fake: len(fake.messages_to(7001)) == burst + 1)
        await api.wait_for_async(lambda fake: fake.pending_updates == 0)
        assert "Nothing yet" in await other.ask("/list")  # answered after the flood
        assert "/sectors" in await other.ask("/help")

    with_bot(settings, engine, scenario, budget=CommandBudget(per_minute=20, burst=burst))
    texts = [m.plain for m in api.messages_to(7001)]
    assert len(texts) == burst + 1
    assert texts.count(SLOW_DOWN) == 1
    assert texts[-1] == SLOW_DOWN


def test_stopping_drops_commands_still_waiting_for_their_turn(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    busy = Chat(api, 7101)

    async def scenario(sender: Sender) -> None:
        for _ in range(10):  # within the budget, answered at 1 message/s: 10 s of work
            busy.send("/help")
        await api.wait_for_async(lambda fake: len(fake.messages_to(7101)) >= 1)
        await api.wait_for_async(lambda fake: fake.pending_updates == 0)

    with_bot(settings, engine, scenario, budget=CommandBudget(per_minute=20, burst=10))
    answered = len(api.messages_to(7101))
    assert 1 <= answered < 10  # the stop waited for the reply in progress, not for the queue
