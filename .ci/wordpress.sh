#!/usr/bin/env bash
# A real WordPress multisite for tests/wordpress: Debian's own wordpress, themes and language
# packs, MariaDB and php-cli. Idempotent: run it again and it only checks. Run as root.
#
# The network lives at http://icesco.test/ with sites /en/ (classic theme twentytwentyone),
# /ar/ (Arabic locale, right to left) and /fr/. Nothing listens here: the tests start
# `php -S` on a loopback port with tests/wordpress/php/router.php and reach it through a
# counting proxy, so `icesco.test` never needs to resolve.
set -euo pipefail
cd "$(dirname "$0")/.."

DOMAIN=icesco.test
DB=icesco_wp
PACKAGES=(wordpress wordpress-l10n wordpress-theme-twentytwentyone
    wordpress-theme-twentytwentythree mariadb-server php-cli php-mysql)

missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
        || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# MariaDB: the init script where there is one (no systemd in CI containers), else by hand.
if ! mariadb-admin ping --silent >/dev/null 2>&1; then
    service mariadb start >/dev/null 2>&1 || {
        mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
        (mysqld_safe >/dev/null 2>&1 &)
    }
    for _ in $(seq 1 60); do
        mariadb-admin ping --silent >/dev/null 2>&1 && break
        sleep 0.5
    done
    mariadb-admin ping --silent >/dev/null
fi
mariadb -e "CREATE DATABASE IF NOT EXISTS $DB CHARACTER SET utf8mb4;
    CREATE USER IF NOT EXISTS '$DB'@'localhost' IDENTIFIED BY '$DB';
    GRANT ALL ON $DB.* TO '$DB'@'localhost';"

# Debian's wp-config.php picks /etc/wordpress/config-<Host header>.php.
install -m 0644 tests/wordpress/php/config.php "/etc/wordpress/config-$DOMAIN.php"

export HTTP_HOST=$DOMAIN
ICESCO_WP_INSTALLING=1 php tests/wordpress/php/install.php network
php tests/wordpress/php/install.php sites
echo "wordpress: multisite ready at http://$DOMAIN/{en,ar,fr}/"
