<?php
/* Installs the test network through WordPress's own API (idempotent).
 *   php install.php network   (with ICESCO_WP_INSTALLING=1: single site, then the network)
 *   php install.php sites     (multisite: /en/, /ar/, /fr/ with their locale, theme, category)
 */
$_SERVER['HTTP_HOST'] = getenv('HTTP_HOST') ?: 'icesco.test';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = $_SERVER['HTTP_HOST'];
$_SERVER['SERVER_PORT'] = 80;
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
// No mail from the installer (there is no MTA, and nobody to read it).
function wp_mail(...$args) { return true; }
$stage = $argv[1] ?? '';

if ($stage === 'network') {
    define('WP_INSTALLING', true);
    require '/usr/share/wordpress/wp-load.php';
    require_once ABSPATH . 'wp-admin/includes/upgrade.php';
    require_once ABSPATH . 'wp-admin/includes/network.php';
    global $wpdb;
    if (!is_blog_installed()) {
        wp_install('ICESCO test network', 'admin', 'admin@icesco.test', true, '', wp_generate_password());
    }
    foreach ($wpdb->tables('ms_global') as $table => $prefixed) {
        $wpdb->$table = $prefixed;
    }
    if (!$wpdb->get_var("SHOW TABLES LIKE '{$wpdb->site}'") || !$wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->site}")) {
        install_network();
        $result = populate_network(1, 'icesco.test', 'admin@icesco.test', 'ICESCO test network', '/', false);
        if (is_wp_error($result)) {
            fwrite(STDERR, $result->get_error_message() . "\n");
            exit(1);
        }
    }
    exit(0);
}

if ($stage === 'sites') {
    require '/usr/share/wordpress/wp-load.php';
    require_once ABSPATH . 'wp-admin/includes/admin.php';
    update_site_option('allowedthemes', ['twentytwentyone' => true, 'twentytwentythree' => true]);
    $sites = [
        'en' => ['en_US', 'ICESCO', 'news', 'News'],
        'ar' => ['ar', 'الإيسيسكو', 'المستجدات', 'المستجدات'],
        'fr' => ['fr_FR', 'ICESCO FR', 'actualites', 'Actualités'],
    ];
    foreach ($sites as $lang => [$locale, $title, $slug, $name]) {
        $id = get_blog_id_from_url('icesco.test', "/$lang/");
        if (!$id) {
            $id = wpmu_create_blog('icesco.test', "/$lang/", $title, 1, ['public' => 1]);
            if (is_wp_error($id)) {
                fwrite(STDERR, $id->get_error_message() . "\n");
                exit(1);
            }
        }
        switch_to_blog($id);
        update_option('WPLANG', $locale === 'en_US' ? '' : $locale);
        update_option('permalink_structure', '/%year%/%monthnum%/%day%/%postname%/');
        update_option('posts_per_page', 4);
        update_option('posts_per_rss', 4);
        update_option('rss_use_excerpt', 0);
        update_option('timezone_string', 'Africa/Casablanca');
        delete_option('rewrite_rules');  // rebuilt on the next request, for this site's structure
        if (get_option('stylesheet') !== 'twentytwentyone' && get_option('stylesheet') !== 'twentytwentythree') {
            switch_theme('twentytwentyone');
        }
        if (!term_exists($slug, 'category')) {
            wp_insert_term($name, 'category', ['slug' => $slug]);
        }
        restore_current_blog();
    }
    exit(0);
}
fwrite(STDERR, "usage: php install.php network|sites\n");
exit(2);
