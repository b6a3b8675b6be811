/*
 * lispd_config.c - the configuration file (lispd_config.h): libconfuse parses it, this
 * file checks every value and fills the daemon's settings and the engines' configs.
 *
 * Keys an engine has a default for are declared without a default here (CFGF_NODEFAULT)
 * and set only when the file sets them, so the engines' *_config_default stay the one
 * place where defaults live.
 *
 * Line numbers: libconfuse 3.3 counts every line that ends in a '#' or '//' comment
 * twice, so its line numbers drift in any commented file. The file is therefore read
 * here, its line comments blanked (newlines kept), and the result parsed from memory;
 * problems found after parsing get the line of their key from key_line(), a small
 * scanner over the same text.
 */
#define _GNU_SOURCE /* fmemopen */
#include "lispd_config.h"

#include <confuse.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_addr.h"
#include "lispd_addr.h"
#include "lispd_log.h"
#include "lispd_role.h"

#define CONFIG_FILE_MAX (1u << 20)
#define MAX_DURATION_SEC 1e9 /* about 31 years: any longer is a typo */

/* One parse: the text (comments blanked), the file's name and the first error. */
typedef struct parse_ctx {
    const char *path;
    char *text;
    char *err;
    size_t errlen;
    bool failed;
} parse_ctx;

/* libconfuse's error callback takes no user pointer: the parse in progress is found
 * here. Parsing happens on the main thread only (start and SIGHUP). */
static parse_ctx *current_parse;

static void fail(parse_ctx *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(parse_ctx *p, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (p->failed)
        return; /* the first problem is the one to fix first */
    p->failed = true;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(p->err, p->errlen, "%s:%d: %s", p->path, line, msg);
    else
        snprintf(p->err, p->errlen, "%s: %s", p->path, msg);
}

static void confuse_error(cfg_t *cfg, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (current_parse)
        fail(current_parse, cfg ? cfg->line : 0, "%s", msg);
}

/* ---- reading: line comments blanked, strings kept ---- */

static char *read_text(parse_ctx *p)
{
    FILE *f = fopen(p->path, "r");
    char *text, *s;
    size_t n;
    char quote = 0;

    if (!f) {
        fail(p, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    text = malloc(CONFIG_FILE_MAX + 1);
    if (!text) {
        fclose(f);
        fail(p, 0, "out of memory");
        return NULL;
    }
    n = fread(text, 1, CONFIG_FILE_MAX + 1, f);
    fclose(f);
    if (n > CONFIG_FILE_MAX) {
        free(text);
        fail(p, 0, "larger than %u bytes", CONFIG_FILE_MAX);
        return NULL;
    }
    text[n] = '\0';
    for (s = text; *s; s++) {
        if (quote) {
            if (*s == '\\' && s[1])
                s++;
            else if (*s == quote)
                quote = 0;
        } else if (*s == '"' || *s == '\'') {
            quote = *s;
        } else if (*s == '#' || (s[0] == '/' && s[1] == '/')) {
            while (*s && *s != '\n')
                *s++ = ' ';
            if (!*s)
                break;
        } else if (s[0] == '/' && s[1] == '*') {
            /* libconfuse counts newlines in block comments correctly: skip over them */
            char *end = strstr(s + 2, "*/");
            if (!end)
                break;
            s = end + 1;
        }
    }
    return text;
}

/* The line of key inside section `sec "title" {`, of that section itself when key is
 * NULL, or of a top-level key when sec is NULL; 0 when not found. A scanner over the
 * comment-free text: words, strings, braces. */
static int key_line(const parse_ctx *p, const char *sec, const char *title, const char *key)
{
    const char *s = p->text;
    int line = 1, depth = 0, sec_line = 0;
    bool in_sec = false;
    char prev[64] = "";

    while (*s) {
        if (*s == '\n') {
            line++;
            s++;
        } else if (*s == '{') {
            depth++;
            s++;
        } else if (*s == '}') {
            depth--;
            if (in_sec && depth == 0)
                return sec_line; /* key not set in the section: point at the section */
            s++;
        } else if (*s == '"' || *s == '\'') {
            const char quote = *s++;
            const char *start = s;
            while (*s && *s != quote) {
                if (*s == '\\' && s[1])
                    s++;
                if (*s == '\n')
                    line++;
                s++;
            }
            if (!in_sec && sec && depth == 0 && strcmp(prev, sec) == 0 && title &&
                strlen(title) == (size_t)(s - start) &&
                memcmp(start, title, (size_t)(s - start)) == 0) {
                if (!key)
                    return line;
                in_sec = true;
                sec_line = line;
            }
            prev[0] = '\0';
            if (*s)
                s++;
        } else if (*s == '/' && s[1] == '*') {
            s += 2;
            while (*s && !(s[0] == '*' && s[1] == '/')) {
                if (*s == '\n')
                    line++;
                s++;
            }
            if (*s)
                s += 2;
        } else if (strchr(" \t\r=,()", *s)) {
            s++;
        } else {
            size_t n = 0;
            while (s[n] && !strchr(" \t\r\n=,(){}\"'", s[n]))
                n++;
            if (n < sizeof prev) {
                memcpy(prev, s, n);
                prev[n] = '\0';
            } else {
                prev[0] = '\0';
            }
            if (!sec && depth == 0 && strcmp(prev, key) == 0)
                return line;
            if (in_sec && depth == 1 && strcmp(prev, key) == 0)
                return line;
            s += n;
        }
    }
    return sec_line;
}

/* ---- the option tables ---- */

static cfg_opt_t tun_opts[] = {
    CFG_STR("name", "lisp0", CFGF_NONE),
    CFG_INT("mtu", 1400, CFGF_NONE),
    CFG_STR_LIST("eid-routes", NULL, CFGF_NONE),
    CFG_END(),
};

static cfg_opt_t eid_prefix_opts[] = {
    CFG_INT("iid", 0, CFGF_NONE),
    CFG_END(),
};

static cfg_opt_t rloc_opts[] = {
    CFG_INT("priority", 1, CFGF_NONE),
    CFG_INT("weight", 100, CFGF_NONE),
    CFG_END(),
};

static cfg_opt_t map_server_opts[] = {
    CFG_INT("key-id", LISP_KEY_ID_HMAC_SHA1_96, CFGF_NONE),
    CFG_STR("key", NULL, CFGF_NODEFAULT),
    CFG_END(),
};

static cfg_opt_t site_opts[] = {
    CFG_INT("key-id", LISP_KEY_ID_HMAC_SHA1_96, CFGF_NONE),
    CFG_STR("key", NULL, CFGF_NODEFAULT),
    CFG_STR_LIST("eid-prefix", NULL, CFGF_NONE),
    CFG_BOOL("accept-more-specifics", cfg_false, CFGF_NONE),
    CFG_BOOL("proxy-reply", cfg_false, CFGF_NONE),
    CFG_END(),
};

static cfg_opt_t timeout_opts[] = {
    CFG_FLOAT("udp", 0, CFGF_NODEFAULT),
    CFG_FLOAT("tcp-established", 0, CFGF_NODEFAULT),
    CFG_FLOAT("tcp-transitory", 0, CFGF_NODEFAULT),
    CFG_FLOAT("icmp", 0, CFGF_NODEFAULT),
    CFG_END(),
};

static cfg_opt_t delegate_opts[] = {
    CFG_STR("map-server", NULL, CFGF_NODEFAULT),
    CFG_END(),
};

#define SECTIONS (CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES)

static cfg_opt_t top_opts[] = {
    /* every role */
    CFG_STR("role", NULL, CFGF_NODEFAULT),
    CFG_STR("log-level", "info", CFGF_NONE),
    CFG_STR("log-to", "stderr", CFGF_NONE),
    CFG_STR("control-socket", LISPD_CONTROL_SOCKET_DEFAULT, CFGF_NONE),
    CFG_STR("control-socket-mode", "0600", CFGF_NONE),
    CFG_STR("pidfile", NULL, CFGF_NODEFAULT),
    /* xTR roles */
    CFG_SEC("tun", tun_opts, CFGF_MULTI),
    CFG_SEC("eid-prefix", eid_prefix_opts, SECTIONS),
    CFG_SEC("rloc", rloc_opts, SECTIONS),
    CFG_SEC("rloc-interface", rloc_opts, SECTIONS),
    CFG_STR_LIST("map-resolver", NULL, CFGF_NONE),
    CFG_SEC("map-server", map_server_opts, SECTIONS),
    CFG_STR_LIST("proxy-etr", NULL, CFGF_NONE),
    CFG_FLOAT("register-interval", 0, CFGF_NODEFAULT),
    CFG_FLOAT("register-retry-timeout", 0, CFGF_NODEFAULT),
    CFG_INT("register-retries", 0, CFGF_NODEFAULT),
    CFG_BOOL("want-map-notify", cfg_true, CFGF_NODEFAULT),
    CFG_BOOL("proxy-reply", cfg_false, CFGF_NODEFAULT),
    CFG_STR("xtr-id", NULL, CFGF_NODEFAULT),
    CFG_STR("site-id", NULL, CFGF_NODEFAULT),
    CFG_FLOAT("mapping-ttl", 0, CFGF_NODEFAULT),
    CFG_STR("miss-policy", NULL, CFGF_NODEFAULT),
    CFG_INT("queue-packets", 0, CFGF_NODEFAULT),
    CFG_INT("max-pending", 0, CFGF_NODEFAULT),
    CFG_FLOAT("request-timeout", 0, CFGF_NODEFAULT),
    CFG_INT("request-retries", 0, CFGF_NODEFAULT),
    CFG_INT("mapcache-max-entries", 0, CFGF_NODEFAULT),
    CFG_FLOAT("mapcache-max-ttl", 0, CFGF_NODEFAULT),
    CFG_INT("iid", 0, CFGF_NODEFAULT),
    CFG_INT("max-packet", 0, CFGF_NODEFAULT),
    CFG_BOOL("fixed-data-port", cfg_false, CFGF_NODEFAULT),
    /* Map-Server */
    CFG_SEC("site", site_opts, SECTIONS),
    CFG_FLOAT("registration-ttl", 0, CFGF_NODEFAULT),
    CFG_FLOAT("unregistered-ttl", 0, CFGF_NODEFAULT),
    CFG_FLOAT("notify-timeout", 0, CFGF_NODEFAULT),
    CFG_INT("notify-retries", 0, CFGF_NODEFAULT),
    CFG_BOOL("reject-zero-nonce", cfg_false, CFGF_NODEFAULT),
    /* Map-Server and Map-Resolver */
    CFG_FLOAT("negative-ttl", 0, CFGF_NODEFAULT),
    /* Map-Resolver */
    CFG_SEC("delegate", delegate_opts, SECTIONS),
    /* NAT */
    CFG_STR("inside-interface", NULL, CFGF_NODEFAULT),
    CFG_STR("outside-interface", NULL, CFGF_NODEFAULT),
    CFG_STR_LIST("public-addresses", NULL, CFGF_NONE),
    CFG_STR("preset", NULL, CFGF_NODEFAULT),
    CFG_STR("mapping", NULL, CFGF_NODEFAULT),
    CFG_STR("filtering", NULL, CFGF_NODEFAULT),
    CFG_STR("port-policy", NULL, CFGF_NODEFAULT),
    CFG_STR("pooling", NULL, CFGF_NODEFAULT),
    CFG_STR("port-range", NULL, CFGF_NODEFAULT),
    CFG_SEC("timeouts", timeout_opts, CFGF_MULTI),
    CFG_BOOL("inbound-refresh", cfg_false, CFGF_NODEFAULT),
    CFG_BOOL("hairpinning", cfg_true, CFGF_NODEFAULT),
    CFG_INT("max-mappings", 0, CFGF_NODEFAULT),
    CFG_INT("queue", 0, CFGF_NODEFAULT),
    CFG_END(),
};

/* The keys of each group (lispd_role.h), to refuse those of other roles. */
static const char *const xtr_keys[] = {"tun",
                                       "eid-prefix",
                                       "rloc",
                                       "rloc-interface",
                                       "map-resolver",
                                       "map-server",
                                       "proxy-etr",
                                       "register-interval",
                                       "register-retry-timeout",
                                       "register-retries",
                                       "want-map-notify",
                                       "proxy-reply",
                                       "xtr-id",
                                       "site-id",
                                       "mapping-ttl",
                                       "miss-policy",
                                       "queue-packets",
                                       "max-pending",
                                       "request-timeout",
                                       "request-retries",
                                       "mapcache-max-entries",
                                       "mapcache-max-ttl",
                                       "iid",
                                       "max-packet",
                                       "fixed-data-port",
                                       NULL};
static const char *const ms_keys[] = {"site",
                                      "registration-ttl",
                                      "unregistered-ttl",
                                      "notify-timeout",
                                      "notify-retries",
                                      "reject-zero-nonce",
                                      NULL};
static const char *const mr_keys[] = {"delegate", NULL};
static const char *const negative_ttl_keys[] = {"negative-ttl", NULL};
static const char *const nat_keys[] = {
    "inside-interface", "outside-interface", "public-addresses", "preset",     "mapping",
    "filtering",        "port-policy",       "pooling",          "port-range", "timeouts",
    "inbound-refresh",  "hairpinning",       "max-mappings",     "queue",      NULL};

static const struct {
    unsigned group;
    const char *const *keys;
} key_groups[] = {
    {LISPD_KEYS_XTR, xtr_keys}, {LISPD_KEYS_MS, ms_keys},
    {LISPD_KEYS_MR, mr_keys},   {LISPD_KEYS_NEGATIVE_TTL, negative_ttl_keys},
    {LISPD_KEYS_NAT, nat_keys},
};

/* ---- values ---- */

static bool is_set(cfg_t *cfg, const char *key)
{
    return cfg_size(cfg, key) > 0;
}

/* An integer key in [lo, hi]; false (and the error) otherwise. */
static bool get_int(parse_ctx *p, cfg_t *cfg, const char *sec, const char *title, const char *key,
                    long lo, long hi, long *out)
{
    long v = cfg_getint(cfg, key);
    if (v < lo || v > hi) {
        fail(p, key_line(p, sec, title, key), "%s must be %ld..%ld, not %ld", key, lo, hi, v);
        return false;
    }
    *out = v;
    return true;
}

/* A duration in seconds (fractions allowed) as lisp_time_t; at top level, or inside the
 * untitled section sec (the error then points at the section). */
static bool get_duration_in(parse_ctx *p, cfg_t *cfg, const char *sec, const char *key,
                            bool zero_ok, lisp_time_t *out)
{
    double v = cfg_getfloat(cfg, key);
    if (!isfinite(v) || v < 0 || v > MAX_DURATION_SEC || (!zero_ok && v == 0)) {
        fail(p, key_line(p, NULL, NULL, sec ? sec : key),
             "%s%s%s must be a duration in seconds%s, not %g", sec ? sec : "", sec ? " " : "", key,
             zero_ok ? "" : " above 0", v);
        return false;
    }
    *out = (lisp_time_t)llround(v * (double)LISP_NS_PER_SEC);
    return true;
}

/* An optional duration: out unchanged when the file does not set it. */
static bool opt_duration(parse_ctx *p, cfg_t *cfg, const char *key, bool zero_ok, lisp_time_t *out)
{
    return !is_set(cfg, key) || get_duration_in(p, cfg, NULL, key, zero_ok, out);
}

static bool opt_int(parse_ctx *p, cfg_t *cfg, const char *key, long lo, long hi, long *out)
{
    return !is_set(cfg, key) || get_int(p, cfg, NULL, NULL, key, lo, hi, out);
}

static bool get_prefix(parse_ctx *p, int line, const char *text, lisp_eid *out)
{
    char why[160];
    if (lispd_prefix_parse(text, out, why, sizeof why) == 0)
        return true;
    fail(p, line, "%s", why);
    return false;
}

static bool get_address(parse_ctx *p, int line, const char *what, const char *text,
                        lisp_endpoint *out)
{
    if (lispd_addr_parse(text, out) == 0)
        return true;
    fail(p, line, "%s '%s' is not an IPv4 or IPv6 address", what, text);
    return false;
}

/* key-id and key of a map-server or site section. */
static bool get_key(parse_ctx *p, cfg_t *sec, const char *sec_name, uint16_t *key_id,
                    const char **key)
{
    long id;
    const char *title = cfg_title(sec);
    if (!get_int(p, sec, sec_name, title, "key-id", LISP_KEY_ID_HMAC_SHA1_96,
                 LISP_KEY_ID_HMAC_SHA256_128, &id))
        return false;
    *key_id = (uint16_t)id;
    *key = is_set(sec, "key") ? cfg_getstr(sec, "key") : NULL;
    if (!*key || !**key) {
        fail(p, key_line(p, sec_name, title, NULL), "%s \"%s\" needs a key", sec_name, title);
        return false;
    }
    if (strlen(*key) > LISP_AUTH_KEY_MAX) {
        fail(p, key_line(p, sec_name, title, "key"), "the key is longer than %d bytes",
             LISP_AUTH_KEY_MAX);
        return false;
    }
    return true;
}

/* ---- sections of the file ---- */

static bool load_common(parse_ctx *p, cfg_t *cfg, lispd_config *c)
{
    const char *role = is_set(cfg, "role") ? cfg_getstr(cfg, "role") : NULL;
    const char *s;

    if (!role) {
        fail(p, 0, "no role (role = %s)", lispd_role_names());
        return false;
    }
    c->role = lispd_role_find(role);
    if (!c->role) {
        fail(p, key_line(p, NULL, NULL, "role"), "unknown role '%s' (one of %s)", role,
             lispd_role_names());
        return false;
    }
    s = cfg_getstr(cfg, "log-level");
    c->log_level = lispd_log_level_parse(s);
    if (c->log_level < 0) {
        fail(p, key_line(p, NULL, NULL, "log-level"),
             "log-level '%s' is not debug, info, warn or error", s);
        return false;
    }
    s = cfg_getstr(cfg, "log-to");
    c->log_to = lispd_log_to_parse(s);
    if (c->log_to < 0) {
        fail(p, key_line(p, NULL, NULL, "log-to"), "log-to '%s' is not stderr or syslog", s);
        return false;
    }
    s = cfg_getstr(cfg, "control-socket");
    if (!*s || strlen(s) >= sizeof c->control_socket) {
        fail(p, key_line(p, NULL, NULL, "control-socket"),
             "control-socket must be a path of 1..%zu characters", sizeof c->control_socket - 1);
        return false;
    }
    strcpy(c->control_socket, s);
    s = cfg_getstr(cfg, "control-socket-mode");
    {
        char *end;
        const long mode = strtol(s, &end, 8);
        if (!*s || *end || mode < 0 || mode > 0777 || (mode & 0600) != 0600) {
            fail(p, key_line(p, NULL, NULL, "control-socket-mode"),
                 "control-socket-mode '%s' is not octal permission bits with 0600 set (0600, "
                 "0660, ...)",
                 s);
            return false;
        }
        c->control_mode = (unsigned)mode;
    }
    if (is_set(cfg, "pidfile")) {
        s = cfg_getstr(cfg, "pidfile");
        if (!*s || strlen(s) >= sizeof c->pidfile) {
            fail(p, key_line(p, NULL, NULL, "pidfile"), "pidfile must be a path");
            return false;
        }
        strcpy(c->pidfile, s);
    }
    return true;
}

/* Keys of groups the role does not have are errors. */
static bool refuse_foreign_keys(parse_ctx *p, cfg_t *cfg, const lispd_role *role)
{
    size_t g, k;
    for (g = 0; g < sizeof key_groups / sizeof key_groups[0]; g++) {
        if (role->keys & key_groups[g].group)
            continue;
        for (k = 0; key_groups[g].keys[k]; k++) {
            const char *key = key_groups[g].keys[k];
            if (is_set(cfg, key)) {
                fail(p, key_line(p, NULL, NULL, key), "'%s' is not a key of role %s", key,
                     role->name);
                return false;
            }
        }
    }
    return true;
}

static bool load_tun(parse_ctx *p, cfg_t *cfg, lispd_config *c)
{
    cfg_t *tun;
    const char *name;
    long mtu;
    unsigned i;

    if (cfg_size(cfg, "tun") > 1) {
        fail(p, key_line(p, NULL, NULL, "tun"), "more than one tun section");
        return false;
    }
    if (cfg_size(cfg, "tun") == 0) {
        if (c->role->tun == LISPD_TUN_REQUIRED) {
            fail(p, key_line(p, NULL, NULL, "role"), "role %s needs a tun section", c->role->name);
            return false;
        }
        return true;
    }
    tun = cfg_getnsec(cfg, "tun", 0);
    c->has_tun = true;
    name = cfg_getstr(tun, "name");
    if (!*name || strlen(name) >= sizeof c->tun_name || strchr(name, '/') || strchr(name, ' ')) {
        fail(p, key_line(p, NULL, NULL, "tun"),
             "tun name '%s' is not an interface name (1..%zu characters)", name,
             sizeof c->tun_name - 1);
        return false;
    }
    strcpy(c->tun_name, name);
    mtu = cfg_getint(tun, "mtu");
    if (mtu < 68 || mtu > 65535) {
        fail(p, key_line(p, NULL, NULL, "tun"), "tun mtu must be 68..65535, not %ld", mtu);
        return false;
    }
    c->tun_mtu = (unsigned)mtu;
    if (cfg_size(tun, "eid-routes") > LISPD_MAX_EID_ROUTES) {
        fail(p, key_line(p, NULL, NULL, "tun"), "more than %d eid-routes", LISPD_MAX_EID_ROUTES);
        return false;
    }
    for (i = 0; i < cfg_size(tun, "eid-routes"); i++) {
        lisp_eid *r = &c->eid_routes[c->n_eid_routes];
        if (!get_prefix(p, key_line(p, NULL, NULL, "tun"), cfg_getnstr(tun, "eid-routes", i), r))
            return false;
        if (r->iid) {
            fail(p, key_line(p, NULL, NULL, "tun"),
                 "eid-routes are routes of the host: no instance-ID");
            return false;
        }
        c->n_eid_routes++;
    }
    return true;
}

static bool load_rlocs(parse_ctx *p, cfg_t *cfg, lispd_config *c)
{
    static const char *const kinds[] = {"rloc", "rloc-interface"};
    unsigned k, i;

    for (k = 0; k < 2; k++) {
        for (i = 0; i < cfg_size(cfg, kinds[k]); i++) {
            cfg_t *sec = cfg_getnsec(cfg, kinds[k], i);
            const char *title = cfg_title(sec);
            const int line = key_line(p, kinds[k], title, NULL);
            lispd_rloc_conf r;
            long prio, weight;

            memset(&r, 0, sizeof r);
            if (c->n_rlocs + c->n_rloc_ifs >= LISP_XTR_MAX_RLOCS) {
                fail(p, line, "more than %d rloc and rloc-interface sections", LISP_XTR_MAX_RLOCS);
                return false;
            }
            if (!get_int(p, sec, kinds[k], title, "priority", 0, 255, &prio) ||
                !get_int(p, sec, kinds[k], title, "weight", 0, 255, &weight))
                return false;
            r.priority = (uint8_t)prio;
            r.weight = (uint8_t)weight;
            if (k == 0) {
                if (!get_address(p, line, "rloc", title, &r.addr))
                    return false;
                c->rlocs[c->n_rlocs++] = r;
            } else {
                if (!*title || strlen(title) >= sizeof r.ifname) {
                    fail(p, line, "'%s' is not an interface name", title);
                    return false;
                }
                strcpy(r.ifname, title);
                c->rloc_ifs[c->n_rloc_ifs++] = r;
            }
        }
    }
    if (c->n_rlocs + c->n_rloc_ifs == 0) {
        fail(p, key_line(p, NULL, NULL, "role"),
             "role %s needs at least one rloc or rloc-interface section", c->role->name);
        return false;
    }
    return true;
}

/* A list of up to LISP_XTR_MAX_SERVERS addresses (map-resolver, proxy-etr). */
static bool load_address_list(parse_ctx *p, cfg_t *cfg, const char *key, lisp_endpoint *out,
                              uint8_t *n)
{
    unsigned i;
    const int line = key_line(p, NULL, NULL, key);
    if (cfg_size(cfg, key) > LISP_XTR_MAX_SERVERS) {
        fail(p, line, "more than %d addresses in %s", LISP_XTR_MAX_SERVERS, key);
        return false;
    }
    for (i = 0; i < cfg_size(cfg, key); i++)
        if (!get_address(p, line, key, cfg_getnstr(cfg, key, i), &out[i]))
            return false;
    *n = (uint8_t)cfg_size(cfg, key);
    return true;
}

static bool load_xtr_mapping(parse_ctx *p, cfg_t *cfg, lispd_config *c)
{
    lisp_xtr_config *x = &c->xtr;
    unsigned i;

    for (i = 0; i < cfg_size(cfg, "eid-prefix"); i++) {
        cfg_t *sec = cfg_getnsec(cfg, "eid-prefix", i);
        const int line = key_line(p, "eid-prefix", cfg_title(sec), NULL);
        long iid;
        lisp_eid *e = &x->eids[x->n_eids];
        if (x->n_eids >= LISP_XTR_MAX_EIDS) {
            fail(p, line, "more than %d eid-prefix sections", LISP_XTR_MAX_EIDS);
            return false;
        }
        if (c->role->pitr || c->role->petr) {
            fail(p, line, "role %s has no EID-prefixes of its own", c->role->name);
            return false;
        }
        if (!get_prefix(p, line, cfg_title(sec), e) ||
            !get_int(p, sec, "eid-prefix", cfg_title(sec), "iid", 0, 0xFFFFFF, &iid))
            return false;
        if (iid)
            e->iid = (uint32_t)iid;
        x->n_eids++;
    }
    if (!c->role->pitr && !c->role->petr && x->n_eids == 0) {
        fail(p, key_line(p, NULL, NULL, "role"), "role %s needs at least one eid-prefix section",
             c->role->name);
        return false;
    }
    if (!load_address_list(p, cfg, "map-resolver", x->map_resolvers, &x->n_map_resolvers) ||
        !load_address_list(p, cfg, "proxy-etr", x->petrs, &x->n_petrs))
        return false;
    for (i = 0; i < cfg_size(cfg, "map-server"); i++) {
        cfg_t *sec = cfg_getnsec(cfg, "map-server", i);
        const char *title = cfg_title(sec);
        lisp_xtr_map_server *ms = &x->map_servers[x->n_map_servers];
        const char *key;
        if (x->n_map_servers >= LISP_XTR_MAX_SERVERS) {
            fail(p, key_line(p, "map-server", title, NULL), "more than %d map-server sections",
                 LISP_XTR_MAX_SERVERS);
            return false;
        }
        if (!get_address(p, key_line(p, "map-server", title, NULL), "map-server", title,
                         &ms->addr) ||
            !get_key(p, sec, "map-server", &ms->key_id, &key))
            return false;
        ms->key_len = (uint16_t)strlen(key);
        memcpy(ms->key, key, ms->key_len);
        x->n_map_servers++;
    }
    return true;
}

static bool load_xtr_settings(parse_ctx *p, cfg_t *cfg, lispd_config *c)
{
    lisp_xtr_config *x = &c->xtr;
    long v;

    if (!opt_duration(p, cfg, "register-interval", false, &x->register_interval) ||
        !opt_duration(p, cfg, "register-retry-timeout", false, &x->register_retry_timeout) ||
        !opt_duration(p, cfg, "mapping-ttl", false, &x->mapping_ttl) ||
        !opt_duration(p, cfg, "request-timeout", false, &x->request_timeout) ||
        !opt_duration(p, cfg, "mapcache-max-ttl", false, &x->mapcache_max_ttl))
        return false;
    v = x->register_retries;
    if (!opt_int(p, cfg, "register-retries", 0, 255, &v))
        return false;
    x->register_retries = (uint8_t)v;
    v = x->queue_packets;
    if (!opt_int(p, cfg, "queue-packets", 0, 65535, &v))
        return false;
    x->queue_packets = (uint16_t)v;
    v = x->max_pending;
    if (!opt_int(p, cfg, "max-pending", 0, 65535, &v))
        return false;
    x->max_pending = (uint16_t)v;
    v = x->request_retries;
    if (!opt_int(p, cfg, "request-retries", 0, 255, &v))
        return false;
    x->request_retries = (uint8_t)v;
    v = x->mapcache_max_entries;
    if (!opt_int(p, cfg, "mapcache-max-entries", 0, 0xFFFFFFFFl, &v))
        return false;
    x->mapcache_max_entries = (uint32_t)v;
    v = x->iid;
    if (!opt_int(p, cfg, "iid", 0, 0xFFFFFF, &v))
        return false;
    x->iid = (uint32_t)v;
    v = x->max_packet;
    if (!opt_int(p, cfg, "max-packet", 68, 65535, &v))
        return false;
    x->max_packet = (uint16_t)v;
    if (is_set(cfg, "want-map-notify"))
        x->want_map_notify = cfg_getbool(cfg, "want-map-notify");
    if (is_set(cfg, "proxy-reply"))
        x->proxy_reply = cfg_getbool(cfg, "proxy-reply");
    if (is_set(cfg, "fixed-data-port"))
        x->fixed_data_port = cfg_getbool(cfg, "fixed-data-port");
    if (is_set(cfg, "miss-policy")) {
        const char *s = cfg_getstr(cfg, "miss-policy");
        if (strcmp(s, "queue") == 0) {
            x->miss_policy = LISP_MISS_QUEUE;
        } else if (strcmp(s, "drop") == 0) {
            x->miss_policy = LISP_MISS_DROP;
        } else {
            fail(p, key_line(p, NULL, NULL, "miss-policy"), "miss-policy '%s' is not queue or drop",
                 s);
            return false;
        }
    }
    if (is_set(cfg, "xtr-id")) {
        if (lisp_xtr_id_parse(cfg_getstr(cfg, "xtr-id"), x->xtr_id) != LISP_OK) {
            fail(p, key_line(p, NULL, NULL, "xtr-id"), "xtr-id must be 32 hexadecimal digits");
            return false;
        }
        x->use_xtr_id = true;
    }
    if (is_set(cfg, "site-id")) {
        if (lisp_xtr_site_id_parse(cfg_getstr(cfg, "site-id"), x->site_id) != LISP_OK) {
            fail(p, key_line(p, NULL, NULL, "site-id"), "site-id must be 16 hexadecimal digits");
            return false;
        }
        if (!x->use_xtr_id) {
            fail(p, key_line(p, NULL, NULL, "site-id"),
                 "site-id goes with an xtr-id (both travel with the I bit)");
            return false;
        }
    }
    return true;
}

static bool same_prefix(const lisp_eid *a, const lisp_eid *b)
{
    return a->iid == b->iid && a->afi == b->afi && a->mask_len == b->mask_len &&
           memcmp(a->addr, b->addr, sizeof a->addr) == 0;
}

static bool load_sites(parse_ctx *p, cfg_t *cfg, lispd_config *c)
{
    const size_t n = cfg_size(cfg, "site");
    size_t i, j;

    if (n == 0) {
        fail(p, key_line(p, NULL, NULL, "role"), "role %s needs at least one site section",
             c->role->name);
        return false;
    }
    c->sites = calloc(n, sizeof *c->sites);
    if (!c->sites) {
        fail(p, 0, "out of memory");
        return false;
    }
    for (i = 0; i < n; i++) {
        cfg_t *sec = cfg_getnsec(cfg, "site", i);
        const char *title = cfg_title(sec);
        const int line = key_line(p, "site", title, "eid-prefix");
        lisp_ms_site_config *site = &c->sites[i];
        lisp_ms_prefix_config *prefixes;
        const char *key;
        size_t k;

        c->n_sites++;
        site->name = strdup(title);
        if (!site->name || !get_key(p, sec, "site", &site->key_id, &key))
            return false;
        site->key = (const uint8_t *)strdup(key);
        site->key_len = strlen(key);
        site->proxy_reply = cfg_getbool(sec, "proxy-reply");
        if (cfg_size(sec, "eid-prefix") == 0) {
            fail(p, line, "site \"%s\" needs at least one eid-prefix", title);
            return false;
        }
        prefixes = calloc(cfg_size(sec, "eid-prefix"), sizeof *prefixes);
        site->prefixes = prefixes;
        if (!site->key || !prefixes) {
            fail(p, 0, "out of memory");
            return false;
        }
        for (k = 0; k < cfg_size(sec, "eid-prefix"); k++) {
            if (!get_prefix(p, line, cfg_getnstr(sec, "eid-prefix", k), &prefixes[k].prefix))
                return false;
            prefixes[k].accept_more_specifics = cfg_getbool(sec, "accept-more-specifics");
            site->n_prefixes++;
        }
    }
    /* A prefix belongs to one site: say which two claim it (the engine would only refuse). */
    for (i = 0; i < n; i++)
        for (size_t k = 0; k < c->sites[i].n_prefixes; k++)
            for (j = i; j < n; j++)
                for (size_t m = (j == i ? k + 1 : 0); m < c->sites[j].n_prefixes; m++)
                    if (same_prefix(&c->sites[i].prefixes[k].prefix,
                                    &c->sites[j].prefixes[m].prefix)) {
                        char text[64];
                        fail(p, key_line(p, "site", c->sites[j].name, "eid-prefix"),
                             "eid-prefix %s is listed twice (sites \"%s\" and \"%s\")",
                             lispd_eid_to_str(&c->sites[i].prefixes[k].prefix, text, sizeof text),
                             c->sites[i].name, c->sites[j].name);
                        return false;
                    }
    return true;
}

static bool load_ms_settings(parse_ctx *p, cfg_t *cfg, lispd_config *c)
{
    long v = (long)c->ms.notify_retries;
    if (!opt_duration(p, cfg, "registration-ttl", false, &c->ms.registration_ttl) ||
        !opt_duration(p, cfg, "unregistered-ttl", true, &c->ms.unregistered_ttl) ||
        !opt_duration(p, cfg, "notify-timeout", false, &c->ms.notify_timeout) ||
        !opt_int(p, cfg, "notify-retries", 0, 100, &v))
        return false;
    c->ms.notify_retries = (unsigned)v;
    if (is_set(cfg, "reject-zero-nonce"))
        c->ms.reject_zero_nonce = cfg_getbool(cfg, "reject-zero-nonce");
    return true;
}

static bool load_delegations(parse_ctx *p, cfg_t *cfg, lispd_config *c)
{
    const size_t n = cfg_size(cfg, "delegate");
    size_t i, j;

    if (n == 0)
        return true;
    c->delegations = calloc(n, sizeof *c->delegations);
    if (!c->delegations) {
        fail(p, 0, "out of memory");
        return false;
    }
    for (i = 0; i < n; i++) {
        cfg_t *sec = cfg_getnsec(cfg, "delegate", i);
        const char *title = cfg_title(sec);
        const int line = key_line(p, "delegate", title, NULL);
        lisp_mr_entry *d = &c->delegations[i];

        if (!get_prefix(p, line, title, &d->prefix))
            return false;
        if (!is_set(sec, "map-server")) {
            fail(p, line, "delegate \"%s\" needs a map-server", title);
            return false;
        }
        if (!get_address(p, key_line(p, "delegate", title, "map-server"), "map-server",
                         cfg_getstr(sec, "map-server"), &d->map_server))
            return false;
        for (j = 0; j < i; j++)
            if (same_prefix(&c->delegations[j].prefix, &d->prefix)) {
                fail(p, line, "delegate \"%s\" is listed twice", title);
                return false;
            }
        c->n_delegations++;
    }
    return true;
}

/* One of names[] (the index), for a behaviour or policy key. */
static bool get_choice(parse_ctx *p, cfg_t *cfg, const char *key, const char *const *names,
                       uint8_t *out)
{
    const char *s = cfg_getstr(cfg, key);
    char list[160] = "";
    size_t i;

    for (i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (uint8_t)i;
            return true;
        }
    for (i = 0; names[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
    fail(p, key_line(p, NULL, NULL, key), "%s '%s' is not one of %s", key, s, list);
    return false;
}

static bool get_ifname(parse_ctx *p, cfg_t *cfg, const char *key, char *out, size_t cap)
{
    const char *s = is_set(cfg, key) ? cfg_getstr(cfg, key) : NULL;
    if (!s) {
        fail(p, key_line(p, NULL, NULL, "role"), "role nat needs %s", key);
        return false;
    }
    if (!*s || strlen(s) >= cap || strchr(s, '/') || strchr(s, ' ')) {
        fail(p, key_line(p, NULL, NULL, key), "%s '%s' is not an interface name", key, s);
        return false;
    }
    strcpy(out, s);
    return true;
}

/* "MIN-MAX" (or one port): the external ports (and ICMP identifiers) the NAT hands out. */
static bool get_port_range(parse_ctx *p, cfg_t *cfg, lisp_nat_config *nat)
{
    const char *s = cfg_getstr(cfg, "port-range");
    char *end;
    long lo, hi;

    lo = strtol(s, &end, 10);
    hi = lo;
    if (end != s && *end == '-') {
        const char *t = end + 1;
        hi = strtol(t, &end, 10);
        if (end == t)
            end = (char *)s; /* "1024-": not a range */
    }
    if (end == s || *end || lo < 1 || hi > 65535 || lo > hi) {
        fail(p, key_line(p, NULL, NULL, "port-range"),
             "port-range '%s' is not MIN-MAX with 1 <= MIN <= MAX <= 65535", s);
        return false;
    }
    nat->port_min = (uint16_t)lo;
    nat->port_max = (uint16_t)hi;
    return true;
}

static bool load_nat_timeouts(parse_ctx *p, cfg_t *cfg, lisp_nat_config *nat)
{
    static const char *const keys[] = {"udp", "tcp-established", "tcp-transitory", "icmp"};
    lisp_time_t *const fields[] = {&nat->udp_timeout, &nat->tcp_established_timeout,
                                   &nat->tcp_transitory_timeout, &nat->icmp_timeout};
    cfg_t *sec;
    size_t i;

    if (cfg_size(cfg, "timeouts") == 0)
        return true;
    if (cfg_size(cfg, "timeouts") > 1) {
        fail(p, key_line(p, NULL, NULL, "timeouts"), "more than one timeouts section");
        return false;
    }
    sec = cfg_getnsec(cfg, "timeouts", 0);
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (is_set(sec, keys[i]) && !get_duration_in(p, sec, "timeouts", keys[i], false, fields[i]))
            return false;
    return true;
}

static bool load_nat(parse_ctx *p, cfg_t *cfg, lispd_config *c)
{
    static const char *const behaviours[] = {"endpoint-independent", "address-dependent",
                                             "address-and-port-dependent", NULL};
    static const char *const port_policies[] = {"preserve", "sequential", "random", NULL};
    static const char *const poolings[] = {"paired", "arbitrary", NULL};
    lisp_nat_config *nat = &c->nat;
    const int pub_line = key_line(p, NULL, NULL, "public-addresses");
    long v;
    size_t i, j;

    if (!get_ifname(p, cfg, "inside-interface", c->nat_inside, sizeof c->nat_inside) ||
        !get_ifname(p, cfg, "outside-interface", c->nat_outside, sizeof c->nat_outside))
        return false;
    if (strcmp(c->nat_inside, c->nat_outside) == 0) {
        fail(p, key_line(p, NULL, NULL, "outside-interface"),
             "outside-interface is the inside-interface");
        return false;
    }
    if (cfg_size(cfg, "public-addresses") == 0) {
        fail(p, key_line(p, NULL, NULL, "role"), "role nat needs public-addresses");
        return false;
    }
    if (cfg_size(cfg, "public-addresses") > LISP_NAT_MAX_PUBLIC) {
        fail(p, pub_line, "more than %d public-addresses", LISP_NAT_MAX_PUBLIC);
        return false;
    }
    for (i = 0; i < cfg_size(cfg, "public-addresses"); i++) {
        const char *text = cfg_getnstr(cfg, "public-addresses", i);
        lisp_endpoint a;
        if (!get_address(p, pub_line, "public address", text, &a))
            return false;
        if (a.afi != LISP_AFI_IPV4) {
            fail(p, pub_line, "public address '%s' is not IPv4 (the NAT is a NAT44)", text);
            return false;
        }
        for (j = 0; j < i; j++)
            if (memcmp(nat->public_addrs[j], a.addr, 4) == 0) {
                fail(p, pub_line, "public address '%s' is listed twice", text);
                return false;
            }
        memcpy(nat->public_addrs[i], a.addr, 4);
        nat->n_public = (uint8_t)(i + 1);
    }
    /* the preset first: the behaviour keys below refine it */
    if (is_set(cfg, "preset") && lisp_nat_preset(nat, cfg_getstr(cfg, "preset")) != LISP_OK) {
        char list[256] = "";
        const char *name;
        for (i = 0; (name = lisp_nat_preset_at(i)) != NULL; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", name);
        fail(p, key_line(p, NULL, NULL, "preset"), "preset '%s' is not one of %s",
             cfg_getstr(cfg, "preset"), list);
        return false;
    }
    if ((is_set(cfg, "mapping") && !get_choice(p, cfg, "mapping", behaviours, &nat->mapping)) ||
        (is_set(cfg, "filtering") &&
         !get_choice(p, cfg, "filtering", behaviours, &nat->filtering)) ||
        (is_set(cfg, "port-policy") &&
         !get_choice(p, cfg, "port-policy", port_policies, &nat->port_policy)) ||
        (is_set(cfg, "pooling") && !get_choice(p, cfg, "pooling", poolings, &nat->pooling)) ||
        (is_set(cfg, "port-range") && !get_port_range(p, cfg, nat)) ||
        !load_nat_timeouts(p, cfg, nat))
        return false;
    if (is_set(cfg, "inbound-refresh"))
        nat->inbound_refresh = cfg_getbool(cfg, "inbound-refresh");
    if (is_set(cfg, "hairpinning"))
        nat->hairpinning = cfg_getbool(cfg, "hairpinning");
    v = (long)nat->max_mappings;
    if (!opt_int(p, cfg, "max-mappings", 1, 1l << 30, &v))
        return false;
    nat->max_mappings = (uint32_t)v;
    v = 0;
    if (!opt_int(p, cfg, "queue", 0, 65534, &v))
        return false;
    c->nat_queue = (uint16_t)v;
    return true;
}

static bool load(parse_ctx *p, cfg_t *cfg, lispd_config *c)
{
    const unsigned keys = c->role->keys;
    lisp_time_t negative_ttl = c->mr.negative_ttl;

    if (!refuse_foreign_keys(p, cfg, c->role) || !load_tun(p, cfg, c))
        return false;
    if (keys & LISPD_KEYS_XTR) {
        if (!load_rlocs(p, cfg, c) || !load_xtr_mapping(p, cfg, c) || !load_xtr_settings(p, cfg, c))
            return false;
    }
    if ((keys & LISPD_KEYS_MS) && (!load_sites(p, cfg, c) || !load_ms_settings(p, cfg, c)))
        return false;
    if ((keys & LISPD_KEYS_MR) && !load_delegations(p, cfg, c))
        return false;
    if ((keys & LISPD_KEYS_NAT) && !load_nat(p, cfg, c))
        return false;
    if (keys & LISPD_KEYS_NEGATIVE_TTL) {
        if (!opt_duration(p, cfg, "negative-ttl", true, &negative_ttl))
            return false;
        c->ms.negative_ttl = negative_ttl;
        c->mr.negative_ttl = negative_ttl;
    }
    return true;
}

int lispd_config_load(const char *path, lispd_config *out, char *err, size_t errlen)
{
    parse_ctx p = {path, NULL, err, errlen, false};
    cfg_t *cfg = NULL;
    FILE *mem = NULL;
    int rc = -1;

    memset(out, 0, sizeof *out);
    lisp_xtr_config_default(&out->xtr);
    lisp_ms_config_default(&out->ms);
    lisp_mr_config_default(&out->mr);
    lisp_nat_config_default(&out->nat);
    out->log_level = LISP_LOG_INFO;
    if (strlen(path) >= sizeof out->path) {
        fail(&p, 0, "path too long");
        return -1;
    }
    strcpy(out->path, path);
    p.text = read_text(&p);
    if (!p.text)
        return -1;
    cfg = cfg_init(top_opts, CFGF_NONE);
    mem = fmemopen(p.text, strlen(p.text), "r");
    if (!cfg || !mem) {
        fail(&p, 0, "out of memory");
        goto done;
    }
    free(cfg->filename);
    cfg->filename = strdup(path);
    cfg_set_error_function(cfg, confuse_error);
    current_parse = &p;
    rc = cfg_parse_fp(cfg, mem);
    current_parse = NULL;
    if (rc != CFG_SUCCESS) {
        fail(&p, 0, "cannot be parsed");
        rc = -1;
        goto done;
    }
    rc = load_common(&p, cfg, out) && load(&p, cfg, out) ? 0 : -1;
done:
    if (mem)
        fclose(mem);
    if (cfg)
        cfg_free(cfg);
    free(p.text);
    return rc;
}

void lispd_config_free(lispd_config *c)
{
    size_t i;
    for (i = 0; i < c->n_sites; i++) {
        free((void *)c->sites[i].name);
        free((void *)c->sites[i].key);
        free((void *)c->sites[i].prefixes);
    }
    free(c->sites);
    free(c->delegations);
    c->sites = NULL;
    c->n_sites = 0;
    c->delegations = NULL;
    c->n_delegations = 0;
}

/* ---- reload: what needs a new engine ---- */

static bool same_sites(const lispd_config *a, const lispd_config *b)
{
    size_t i;
    if (a->n_sites != b->n_sites)
        return false;
    for (i = 0; i < a->n_sites; i++) {
        const lisp_ms_site_config *x = &a->sites[i], *y = &b->sites[i];
        if (strcmp(x->name, y->name) != 0 || x->key_id != y->key_id || x->key_len != y->key_len ||
            memcmp(x->key, y->key, x->key_len) != 0 || x->proxy_reply != y->proxy_reply ||
            x->n_prefixes != y->n_prefixes ||
            (x->n_prefixes &&
             memcmp(x->prefixes, y->prefixes, x->n_prefixes * sizeof *x->prefixes) != 0))
            return false;
    }
    return true;
}

bool lispd_config_same_engine(const lispd_config *a, const lispd_config *b)
{
    lisp_ms_config ms_a = a->ms, ms_b = b->ms;
    lisp_mr_config mr_a = a->mr, mr_b = b->mr;

    if (a->role != b->role)
        return false;
    /* lisp_nat_config_default zeroes the struct too; the rest are field assignments */
    if (memcmp(&a->nat, &b->nat, sizeof a->nat) != 0)
        return false;
    /* Both xTR configs come from lisp_xtr_config_default (which zeroes the struct) and
     * field assignments, and keep no RLOCs: compare them whole. */
    if (memcmp(&a->xtr, &b->xtr, sizeof a->xtr) != 0)
        return false;
    ms_a.sites = ms_b.sites = NULL;
    mr_a.entries = mr_b.entries = NULL;
    if (memcmp(&ms_a, &ms_b, sizeof ms_a) != 0 || memcmp(&mr_a, &mr_b, sizeof mr_a) != 0)
        return false;
    if (!same_sites(a, b) || a->n_delegations != b->n_delegations)
        return false;
    return a->n_delegations == 0 ||
           memcmp(a->delegations, b->delegations, a->n_delegations * sizeof *a->delegations) == 0;
}
