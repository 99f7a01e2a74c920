<?php
/* The test network's config, installed by .ci/wordpress.sh as
 * /etc/wordpress/config-icesco.test.php (Debian's wp-config.php loads it by Host header). */
define('DB_NAME', 'icesco_wp');
define('DB_USER', 'icesco_wp');
define('DB_PASSWORD', 'icesco_wp');
define('DB_HOST', 'localhost');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
// Nothing may leave the machine: no cron spawning over HTTP, no update checks.
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
$table_prefix = 'wp_';
if (!getenv('ICESCO_WP_INSTALLING')) {
    define('MULTISITE', true);
    define('SUBDOMAIN_INSTALL', false);
    define('DOMAIN_CURRENT_SITE', 'icesco.test');
    define('PATH_CURRENT_SITE', '/');
    define('SITE_ID_CURRENT_SITE', 1);
    define('BLOG_ID_CURRENT_SITE', 1);
}
