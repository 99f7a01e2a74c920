"""Crawling ICESCO's news: the spider, its pure extraction helpers, and the runner."""
