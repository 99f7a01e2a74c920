<?php
/* Changes the test network's content through WordPress's own API, for tests/wordpress.
 * Reads a JSON list of operations on stdin, prints a JSON list of results:
 *   {"op": "reset"}                                   every site: no posts or pages, classic theme
 *   {"op": "theme", "name": "twentytwentythree"}      every site
 *   {"op": "add", "lang": "en", "title": ..., "date": "2025-03-01 10:00:00", "content": ...,
 *    "category": "news" (slug; null: none)}           -> {"id", "link", "title", "date_gmt"}
 *     A new post's modified time is its date, as wp_insert_post sets it. With "late": true the
 *     post was scheduled for `date` (past) and WP-cron publishes it now, as cron does
 *     (check_and_publish_future_post), leaving its modified time before the date.
 *     With "editor": true the post starts as the editor's auto-draft, so its guid (the feeds'
 *     <id>) is the shortlink `…/?p=ID` as on icesco.org, not the permalink wp_insert_post gives.
 *   {"op": "edit", "lang": "en", "id": N, "title"?: ..., "content"?: ..., "slug"?: ...,
 *    "date"?: "2025-03-02 10:00:00"}   a new slug or date moves the post's permalink
 *   {"op": "delete", "lang": "en", "id": N}
 *   {"op": "category", "lang": "en", "slug": "events", "name": "Events", "parent": "news"}
 *   {"op": "option", "lang": "en", "name": "rss_use_excerpt", "value": 1}
 */
$_SERVER['HTTP_HOST'] = getenv('HTTP_HOST') ?: 'icesco.test';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = $_SERVER['HTTP_HOST'];
$_SERVER['SERVER_PORT'] = 80;
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
require '/usr/share/wordpress/wp-load.php';
// Edits must not create revisions or ping anyone.
remove_action('post_updated', 'wp_save_post_revision');
remove_action('publish_post', '_publish_post_hook', 5);

function site_id(string $lang): int {
    $id = get_blog_id_from_url('icesco.test', "/$lang/");
    if (!$id) {
        throw new RuntimeException("no site /$lang/: run .ci/wordpress.sh");
    }
    return (int) $id;
}

function in_site(string $lang, callable $fn): mixed {
    switch_to_blog(site_id($lang));
    try {
        return $fn();
    } finally {
        restore_current_blog();
    }
}

function describe(int $id): array {
    $post = get_post($id);
    return ['id' => $id, 'link' => get_permalink($id), 'title' => $post->post_title,
            'date_gmt' => $post->post_date_gmt, 'modified_gmt' => $post->post_modified_gmt];
}

$results = [];
foreach (json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR) as $op) {
    switch ($op['op']) {
        case 'reset':
        case 'theme':
            foreach (['en', 'ar', 'fr'] as $lang) {
                $results[] = in_site($lang, function () use ($op) {
                    if ($op['op'] === 'theme') {
                        switch_theme($op['name']);
                        return get_option('stylesheet');
                    }
                    // Pages too: the sample page's modified time (the install's) would otherwise
                    // be the site's newest, which is what its feeds' validators follow.
                    $ids = get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any',
                                      'numberposts' => -1, 'fields' => 'ids']);
                    foreach ($ids as $id) {
                        wp_delete_post($id, true);
                    }
                    switch_theme('twentytwentyone');
                    update_option('rss_use_excerpt', 0);
                    return count($ids);
                });
            }
            break;
        case 'add':
            $results[] = in_site($op['lang'], function () use ($op) {
                global $wpdb;
                $category = $op['category'] ?? null;
                $terms = $category ? [get_category_by_slug($category)->term_id] : [];
                $late = $op['late'] ?? false;
                $draft = [];
                if ($op['editor'] ?? false) {
                    $draft = ['ID' => wp_insert_post(['post_title' => 'Auto Draft', 'post_status' => 'auto-draft'], true)];
                    if (is_wp_error($draft['ID'])) {
                        throw new RuntimeException($draft['ID']->get_error_message());
                    }
                }
                $id = wp_insert_post($draft + [
                    'post_title' => $op['title'],
                    'post_content' => $op['content'],
                    'post_excerpt' => $op['excerpt'] ?? '',
                    'post_status' => $late ? 'draft' : 'publish',
                    'post_date' => $op['date'],
                    'post_date_gmt' => get_gmt_from_date($op['date']),
                    'post_category' => $terms,
                ], true);
                if (is_wp_error($id)) {
                    throw new RuntimeException($id->get_error_message());
                }
                if ($draft) {
                    // Published from the draft, its modified time would be now; as a new post's,
                    // it is its date (so an edit in the next second still moves it).
                    $post = get_post($id);
                    $wpdb->update($wpdb->posts, ['post_modified' => $post->post_date,
                        'post_modified_gmt' => $post->post_date_gmt], ['ID' => $id]);
                    clean_post_cache($id);
                }
                if ($late) {
                    // Scheduled when its time was still ahead (the editor's "Schedule"), then
                    // missed: WordPress refuses to schedule a past date, so the status is set
                    // directly; cron's own function publishes it.
                    $modified = ['post_modified' => gmdate('Y-m-d H:i:s', strtotime($op['date']) - 600)];
                    $modified['post_modified_gmt'] = get_gmt_from_date($modified['post_modified']);
                    $modified['post_name'] = wp_unique_post_slug(sanitize_title($op['title']), $id, 'future', 'post', 0);
                    $wpdb->update($wpdb->posts, ['post_status' => 'future'] + $modified, ['ID' => $id]);
                    clean_post_cache($id);
                    check_and_publish_future_post($id);
                    clean_post_cache($id);
                }
                return describe($id);
            });
            break;
        case 'edit':
            $results[] = in_site($op['lang'], function () use ($op) {
                $change = ['ID' => $op['id']];
                $fields = ['title' => 'post_title', 'content' => 'post_content', 'slug' => 'post_name'];
                foreach ($fields as $k => $field) {
                    if (isset($op[$k])) {
                        $change[$field] = $op[$k];
                    }
                }
                if (isset($op['date'])) {
                    $change['post_date'] = $op['date'];
                    $change['post_date_gmt'] = get_gmt_from_date($op['date']);
                }
                wp_update_post($change, true);
                return describe($op['id']);
            });
            break;
        case 'delete':
            $results[] = in_site($op['lang'], fn () => (bool) wp_delete_post($op['id'], true));
            break;
        case 'option':
            $results[] = in_site($op['lang'], fn () => update_option($op['name'], $op['value']));
            break;
        case 'category':
            $results[] = in_site($op['lang'], function () use ($op) {
                $found = get_category_by_slug($op['slug']);
                if ($found) {
                    return $found->term_id;
                }
                $parent = isset($op['parent']) ? get_category_by_slug($op['parent'])->term_id : 0;
                return wp_insert_term($op['name'], 'category', ['slug' => $op['slug'], 'parent' => $parent])['term_id'];
            });
            break;
        default:
            throw new RuntimeException("unknown op {$op['op']}");
    }
}
echo json_encode($results, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
