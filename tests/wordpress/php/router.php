<?php
/* Router for `php -S`: what Apache's multisite .htaccess does for a subdirectory network.
 * /en/wp-admin/... and /en/x.php map to the shared files; everything else is WordPress. */
$root = realpath($_SERVER['DOCUMENT_ROOT']);
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?: '/';
if (preg_match('#^/[_0-9a-zA-Z-]+(/wp-(?:content|admin|includes)/.*|/[^/]+\.php)$#', $path, $m)) {
    $path = $m[1];
}
$file = realpath($root . $path);
if ($file !== false && str_starts_with($file, $root) && is_file($file)) {
    if (!str_ends_with($file, '.php')) {
        return false;
    }
    $script = substr($file, strlen($root));
} else {
    $file = $root . '/index.php';
    $script = '/index.php';
}
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = $script;
$_SERVER['SCRIPT_FILENAME'] = $file;
chdir(dirname($file));
require $file;
