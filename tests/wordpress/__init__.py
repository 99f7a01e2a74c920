"""A real WordPress multisite (Debian's packages, set up by .ci/wordpress.sh) for crawl tests."""
