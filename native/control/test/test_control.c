/*
 * test_control.c - the control socket (lispd_control.h) against real engines
 * (control_world.h): the socket file and its mode, refusing a live socket, every command's
 * answer for an xTR and a Map-Server, errors, and a client that never sends.
 *
 * The test is the client and the daemon at once: it connects and writes its line (the
 * kernel queues both), then lets the server take the connection (lispd_control_ready),
 * then reads the answer the server left in the socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control_world.h"
#include "lisp_nat.h"
#include "lisp_nat_test_util.h"
#include "lispd_control_internal.h"

typedef struct daemon_state {
    lisp_engine *engine;
    const char *role;
    lisp_time_t now;
    int log_level;
    bool refuse_log_level;
} daemon_state;

static cw_world g_w;
static daemon_state g_d;
static char g_dir[64], g_path[128];
static lispd_control *g_c;

static lisp_engine *d_engine(void *user)
{
    return ((daemon_state *)user)->engine;
}

static const char *d_role(void *user)
{
    return ((daemon_state *)user)->role;
}

static lisp_time_t d_now(void *user)
{
    return ((daemon_state *)user)->now;
}

static int d_set_log_level(void *user, int level)
{
    daemon_state *d = user;
    if (d->refuse_log_level)
        return -1;
    d->log_level = level;
    return 0;
}

static const lispd_control_ops g_ops = {d_engine, d_role, d_now, d_set_log_level};

static lispd_control *open_at(const char *path, mode_t mode, char *err, size_t errlen)
{
    return lispd_control_open(path, mode, &g_ops, &g_d, err, errlen);
}

static void use(lisp_engine *e, const char *role)
{
    g_d.engine = e;
    g_d.role = role;
}

static int setup_with(const char *ms_role)
{
    char err[256];

    cw_build(&g_w, ms_role);
    memset(&g_d, 0, sizeof g_d);
    g_d.now = CW_NOW;
    g_d.log_level = -1;
    use(g_w.xtr, "xtr");
    snprintf(g_dir, sizeof g_dir, "/tmp/lispd-control-test-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    snprintf(g_path, sizeof g_path, "%s/lispd.sock", g_dir);
    g_c = open_at(g_path, 0600, err, sizeof err);
    if (!g_c)
        fail_msg("lispd_control_open: %s", err);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    return setup_with("ms+mr");
}

static int setup_ms(void **state)
{
    (void)state;
    return setup_with("ms");
}

static int teardown(void **state)
{
    (void)state;
    lispd_control_close(g_c);
    g_c = NULL;
    unlink(g_path);
    rmdir(g_dir);
    cw_free(&g_w);
    return 0;
}

static struct sockaddr_un unix_addr(const char *path)
{
    struct sockaddr_un sa;

    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    assert_true(strlen(path) < sizeof sa.sun_path);
    memcpy(sa.sun_path, path, strlen(path) + 1);
    return sa;
}

static int client_connect(const char *path)
{
    struct sockaddr_un sa = unix_addr(path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
        fail_msg("connect %s: %s", path, strerror(errno));
    return fd;
}

/* Everything until the server closes the connection (malloc'd, NUL-terminated). */
static char *read_all(int fd)
{
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    ssize_t n;

    assert_non_null(buf);
    while ((n = read(fd, buf + len, cap - 1 - len)) > 0) {
        len += (size_t)n;
        assert_true(len < cap - 1);
    }
    buf[len] = '\0';
    return buf;
}

/* The whole answer to raw bytes sent on one connection. */
static char *exchange(const char *bytes, size_t len)
{
    int fd = client_connect(g_path);
    char *answer;

    assert_int_equal(write(fd, bytes, len), (ssize_t)len);
    shutdown(fd, SHUT_WR); /* as lispctl does: the end of the stream also ends the line */
    lispd_control_ready(g_c);
    answer = read_all(fd);
    close(fd);
    return answer;
}

static char *ask(const char *command)
{
    char line[600];
    snprintf(line, sizeof line, "%s\n", command);
    return exchange(line, strlen(line));
}

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not in the answer:\n%s", part, text);
}

/* An "ok" answer containing every part (NULL-terminated list). */
static void expect_ok(const char *command, ...)
{
    char *a = ask(command);
    const char *part;
    va_list ap;

    if (strncmp(a, "ok\n", 3) != 0)
        fail_msg("%s: answer is not ok:\n%s", command, a);
    va_start(ap, command);
    while ((part = va_arg(ap, const char *)))
        assert_contains(a, part);
    va_end(ap);
    free(a);
}

/* An answer that is the one line "error: ..." containing part. */
static void expect_error(const char *command, const char *part)
{
    char *a = ask(command);

    if (strncmp(a, "error: ", 7) != 0)
        fail_msg("%s: answer is not an error:\n%s", command, a);
    assert_contains(a, part);
    assert_ptr_equal(strchr(a, '\n'), a + strlen(a) - 1);
    free(a);
}

/* ---- the socket ---- */

static void test_socket_mode_and_close(void **state)
{
    struct stat st;
    char err[256], path[160];
    lispd_control *c;

    (void)state;
    assert_int_equal(stat(g_path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_true(lispd_control_fd(g_c) >= 0);

    snprintf(path, sizeof path, "%s/group.sock", g_dir);
    c = open_at(path, 0660, err, sizeof err);
    assert_non_null(c);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0660);
    lispd_control_close(c);
    assert_int_equal(stat(path, &st), -1);
    assert_int_equal(errno, ENOENT);
    lispd_control_close(NULL);
}

static void test_live_socket_is_not_replaced(void **state)
{
    char err[256];
    struct stat before, after;

    (void)state;
    assert_int_equal(stat(g_path, &before), 0);
    assert_null(open_at(g_path, 0600, err, sizeof err));
    assert_contains(err, "another daemon answers on");
    assert_contains(err, g_path);
    assert_int_equal(stat(g_path, &after), 0);
    assert_true(before.st_ino == after.st_ino);
    expect_ok("help", "show map-cache", NULL); /* the first one still answers */
}

static void test_stale_socket_replaced_other_files_kept(void **state)
{
    struct sockaddr_un sa;
    char err[256], path[160];
    lispd_control *c;
    struct stat st;
    int fd;

    (void)state;
    /* A socket file nobody listens on any more (a daemon that was killed). */
    snprintf(path, sizeof path, "%s/stale.sock", g_dir);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sa = unix_addr(path);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    close(fd);
    c = open_at(path, 0600, err, sizeof err);
    if (!c)
        fail_msg("stale socket not replaced: %s", err);
    lispd_control_close(c);

    /* A regular file is never removed. */
    snprintf(path, sizeof path, "%s/not-a-socket", g_dir);
    fd = open(path, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    assert_null(open_at(path, 0600, err, sizeof err));
    assert_contains(err, "not a socket");
    assert_int_equal(stat(path, &st), 0);
    unlink(path);

    /* A directory that does not exist. */
    snprintf(path, sizeof path, "%s/missing/lispd.sock", g_dir);
    assert_null(open_at(path, 0600, err, sizeof err));
    assert_contains(err, "missing/lispd.sock");
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_silent_client_is_dropped(void **state)
{
    struct timespec t0;
    double took;
    char *a;
    int fd;

    (void)state;
    fd = client_connect(g_path);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    lispd_control_ready(g_c); /* the client never sends: dropped after its second */
    took = seconds_since(&t0);
    if (took < 0.9 || took > 5.0)
        fail_msg("a silent client held the server %.2f s (want about 1 s)", took);
    a = read_all(fd); /* closed without an answer */
    assert_string_equal(a, "");
    free(a);
    close(fd);
    expect_ok("show stats", "xtr:", NULL); /* the server carries on */
}

/* A client that asks for a big answer and never reads it is dropped when the answer's
 * time is up: the server returns, it does not wait for the reader. */
static void test_slow_reader_is_dropped(void **state)
{
    static lisp_mapcache_loc locs[2];
    struct timespec t0;
    char dst[32];
    double took;
    unsigned i;
    int fd;

    (void)state;
    locs[0] = xh_rloc("198.51.100.1", 1, 50);
    locs[1] = xh_rloc("198.51.100.2", 1, 50);
    for (i = 0; i < 4000; i++) { /* about 700 kB of text: more than the socket buffers */
        xh_record rec = {lt_eid("0.0.0.0", 24, 0), 10, 0, 2, locs};
        snprintf(dst, sizeof dst, "11.%u.%u.1", i / 256, i % 256);
        rec.eid = lt_eid(dst, 24, 0);
        rec.eid.addr[3] = 0;
        fake_io_clear(&g_io);
        xh_eid(CW_NOW, "10.1.0.5", dst, 1234);
        xh_reply(CW_NOW, xh_sent_request_nonce(0), 1, &rec);
    }
    assert_int_equal(lisp_mapcache_count(lisp_xtr_mapcache(g_x)), 4002);
    fd = client_connect(g_path);
    assert_int_equal(write(fd, "show map-cache\n", 15), 15);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    lispd_control_ready(g_c);
    took = seconds_since(&t0);
    if (took < 4.0 || took > 10.0)
        fail_msg("a client that does not read held the server %.2f s (want about 5 s)", took);
    close(fd);
    expect_ok("show stats", "xtr:", NULL);
}

static void test_line_framing(void **state)
{
    char big[700];
    char *a;

    (void)state;
    a = exchange("help", 4); /* no newline, then the end of the stream */
    assert_true(strncmp(a, "ok\n", 3) == 0);
    free(a);
    a = exchange("  show   stats \r\n", 17); /* extra blanks and a CR */
    assert_true(strncmp(a, "ok\nrole xtr\n", 12) == 0);
    free(a);
    memset(big, 'x', sizeof big);
    a = exchange(big, sizeof big);
    assert_contains(a, "error: command longer than");
    free(a);
}

/* ---- commands every role answers, and errors ---- */

static void test_help_and_errors(void **state)
{
    char *a;

    (void)state;
    expect_ok("help", "show map-cache", "show registrations", "show sites", "show locators",
              "show stats", "clear map-cache", "log level", NULL);
    expect_ok("help --json", "{\"commands\":[\"show map-cache\",", NULL);
    expect_error("bogus", "unknown command 'bogus'");
    expect_error("show nothing", "unknown command 'show nothing'");
    expect_error("", "empty command");
    expect_error("show stats extra", "wrong number of arguments");
    expect_error("a b c d e f g h i", "too many words");
    expect_error("show sites", "the role xtr has no Map-Server");

    use(g_w.ms, "ms+mr");
    expect_error("show map-cache", "the role ms+mr has no tunnel router");
    expect_error("show locators --json", "has no tunnel router");
    expect_error("clear map-cache", "has no tunnel router");

    use(NULL, "xtr"); /* between two configurations */
    expect_error("show stats", "no engine is running");
    expect_ok("help", "show stats", NULL);

    a = ask("help");
    assert_int_equal(strncmp(a, "ok\n", 3), 0);
    free(a);
}

static void test_log_level(void **state)
{
    (void)state;
    expect_ok("log level debug", "log level debug", NULL);
    assert_int_equal(g_d.log_level, LISP_LOG_DEBUG);
    expect_ok("log level error --json", "{\"log_level\":\"error\"}", NULL);
    assert_int_equal(g_d.log_level, LISP_LOG_ERROR);
    expect_error("log level loud", "'loud' is not one of debug, info, warn, error");
    expect_error("log level", "wrong number of arguments");
    g_d.refuse_log_level = true;
    expect_error("log level info", "refused");
    assert_int_equal(g_d.log_level, LISP_LOG_ERROR);
}

/* Every counter the engine has, by name and value, in the text and the JSON answer. */
static void assert_all_stats(lisp_engine *e)
{
    char *text = ask("show stats"), *json = ask("show stats --json"), want[160];
    lisp_stat stats[256];
    size_t n = lisp_engine_stats(e, stats, 256), i;
    const char *group = NULL;

    assert_true(n > 10 && n < 256);
    for (i = 0; i < n; i++) {
        if (!group || strcmp(group, stats[i].group) != 0) {
            group = stats[i].group;
            snprintf(want, sizeof want, "\n%s:\n", group);
            assert_contains(text, want);
            snprintf(want, sizeof want, "\"%s\":{", group);
            assert_contains(json, want);
        }
        snprintf(want, sizeof want, "  %-36s %llu\n", stats[i].name,
                 (unsigned long long)stats[i].value);
        assert_contains(text, want);
        snprintf(want, sizeof want, "\"%s\":%llu", stats[i].name,
                 (unsigned long long)stats[i].value);
        assert_contains(json, want);
    }
    free(text);
    free(json);
}

/* ---- the xTR ---- */

static void test_xtr_show_stats(void **state)
{
    (void)state;
    expect_ok("show stats", "role xtr\nxtr:\n", "  map_replies_received                 2\n",
              "  map_notifies_received                1\n", NULL);
    assert_all_stats(g_w.xtr);
}

static void test_xtr_show_map_cache(void **state)
{
    (void)state;
    expect_ok("show map-cache", "map-cache: 2 entries\n", "[0] 10.2.0.0/16  expires in 10m0s\n",
              "    198.51.100.1                            priority 1   weight 50  up\n",
              "    198.51.100.2                            priority 1   weight 50  up\n",
              "[0] 10.3.0.0/16  expires in 15m0s  negative, action natively-forward\n", NULL);
    g_d.now = CW_NOW + SEC(61);
    expect_ok("show map-cache", "10.2.0.0/16  expires in 8m59s", NULL);
    expect_ok("show map-cache --json",
              "{\"count\":2,\"entries\":[{\"iid\":0,\"afi\":\"ipv4\","
              "\"prefix\":\"10.2.0.0/16\",\"expires_in_s\":539,",
              "\"negative\":false,\"action\":\"no-action\",\"locators\":[{\"address\":"
              "\"198.51.100.1\",\"priority\":1,\"weight\":50,",
              "\"state\":\"up\"}", "\"prefix\":\"10.3.0.0/16\",\"expires_in_s\":839,",
              "\"negative\":true,\"action\":\"natively-forward\",\"locators\":[]}]}", NULL);
}

static void test_xtr_clear_map_cache(void **state)
{
    (void)state;
    expect_ok("clear map-cache", "map-cache cleared: 2 entries dropped\n", NULL);
    expect_ok("show map-cache", "map-cache: 0 entries\n", NULL);
    expect_ok("show map-cache --json", "{\"count\":0,\"entries\":[]}", NULL);
    expect_ok("clear map-cache --json", "{\"cleared\":0}", NULL);
    /* The next packet misses: a Map-Request goes out again. */
    fake_io_clear(&g_io);
    xh_eid(CW_NOW + SEC(1), "10.1.0.5", "10.2.0.9", 1234);
    xh_sent_request_nonce(0);
}

static void test_xtr_show_registrations(void **state)
{
    (void)state;
    expect_ok("show registrations", "Map-Server 203.0.113.10:4342 (key-id 1): registered\n",
              "    last Map-Notify 1s ago, next Map-Register in 58s\n", NULL);
    expect_ok("show registrations --json",
              "{\"registered\":true,\"map_servers\":[{\"map_server\":\"203.0.113.10:4342\","
              "\"key_id\":1,\"state\":\"registered\",\"tries\":1,\"round_started_s_ago\":2,"
              "\"last_map_notify_s_ago\":1,\"next_map_register_in_s\":58}]}",
              NULL);
}

static void test_xtr_show_locators(void **state)
{
    (void)state;
    expect_ok("show locators", "RLOC ", "interface", "LSB\n",
              "192.0.2.1                               -            up    1        100    0\n",
              "198.18.0.1 ", " down  2        50     1\n", "locator-status-bits 0x01\n", NULL);
    expect_ok("show locators --json",
              "{\"lsb\":1,\"locators\":[{\"address\":\"192.0.2.1\",\"interface\":null,"
              "\"ifindex\":0,\"state\":\"up\",\"priority\":1,\"weight\":100,\"lsb_bit\":0},"
              "{\"address\":\"198.18.0.1\",",
              "\"ifindex\":1,\"state\":\"down\",\"priority\":2,\"weight\":50,\"lsb_bit\":1}]}",
              NULL);
}

/* ---- the Map-Server ---- */

static void test_ms_show_registrations(void **state)
{
    (void)state;
    use(g_w.ms, "ms+mr");
    expect_ok("show registrations", "registrations: 1\n",
              "[0] 10.1.0.0/16  site site-a  1 xTR  expires in 2m59s  TTL 1440 min\n"
              "  xTR 192.0.2.1:4342  expires in 2m59s  2 locators  map-notify idle\n"
              "  locators (merged):\n",
              "    192.0.2.1                               priority 1   weight 100 up\n",
              "    198.18.0.1                              priority 2   weight 50  down\n", NULL);
    expect_ok("show registrations --json",
              "{\"count\":1,\"registrations\":[{\"iid\":0,\"afi\":\"ipv4\",\"prefix\":"
              "\"10.1.0.0/16\",\"site\":\"site-a\",\"expires_in_s\":179,",
              "\"xtrs\":[{\"rloc\":\"192.0.2.1:4342\",\"xtr_id\":null,", "\"locator_count\":2,",
              "\"map_notify\":\"idle\"}],\"locators\":[{\"address\":\"192.0.2.1\",", NULL);
}

static void test_ms_show_sites(void **state)
{
    (void)state;
    use(g_w.ms, "ms+mr");
    expect_ok("show sites", "site site-a  key-id 1  1 registration\n",
              "    [0] 10.1.0.0/16  registered (1 xTR, expires in 2m59s)\n",
              "site site-b  key-id 2  proxy-reply  0 registrations\n",
              "    [0] 10.2.0.0/16  not registered\n",
              "    [0] 10.20.0.0/16  accept-more-specifics  not registered\n", NULL);
    expect_ok("show sites --json",
              "{\"sites\":[{\"name\":\"site-a\",\"key_id\":1,\"proxy_reply\":false,"
              "\"registrations\":1,\"prefixes\":[{\"iid\":0,\"afi\":\"ipv4\",\"prefix\":"
              "\"10.1.0.0/16\",\"accept_more_specifics\":false,\"registered\":true,"
              "\"xtr_count\":1,\"expires_in_s\":179}]},{\"name\":\"site-b\"",
              "\"expires_in_s\":null}]}]}", NULL);
    use(g_w.xtr, "xtr");
    expect_error("show sites", "no Map-Server");
}

static void test_ms_mr_show_stats(void **state)
{
    (void)state;
    use(g_w.ms, "ms+mr");
    expect_ok("show stats", "role ms+mr\nmap-server:\n", "\nmap-resolver:\n",
              "  map_registers                        1\n", NULL);
    assert_all_stats(g_w.ms);
}

/* Role "ms" alone (setup_ms): the same views through lisp_ms_from_engine. */
static void test_ms_alone(void **state)
{
    (void)state;
    use(g_w.ms, "ms");
    expect_ok("show sites", "site site-a", "10.1.0.0/16  registered", NULL);
    expect_ok("show registrations", "registrations: 1\n", "site site-a", NULL);
    expect_ok("show stats", "role ms\nmap-server:\n", NULL);
    assert_all_stats(g_w.ms);
}

/* Role nat: the engine's settings, counters and mappings (a port-restricted cone with two
 * public addresses that translated one UDP flow and refused one inbound packet). */
static void test_nat_show(void **state)
{
    static nt_host h;
    lisp_nat_config cfg = nt_config("port-restricted-cone");
    uint8_t pkt[NT_PKT_MAX];
    lisp_nat_mapping_info m;
    char ext[32], row[160], json[200];
    lisp_nat *nat;
    (void)state;
    nt_host_init(&h);
    nt_add_public(&cfg, "203.0.113.2");
    cfg.max_mappings = 10;
    nat = lisp_nat_new(&cfg, &h.host, CW_NOW);
    assert_non_null(nat);
    nt_assert_verdict(
        nt_send(nat, CW_NOW, true, pkt, nt_udp(pkt, "10.0.0.2", 5000, "198.51.100.7", 3478, 8)),
        LISP_NAT_FORWARD);
    /* paired pooling picks one of the two public addresses for 10.0.0.2 */
    assert_true(lisp_nat_mapping_at(nat, 0, &m));
    snprintf(ext, sizeof ext, "203.0.113.%u", m.external.addr[3]);
    nt_assert_verdict(
        nt_send(nat, CW_NOW, false, pkt, nt_udp(pkt, "198.51.100.8", 3478, ext, 5000, 8)),
        LISP_NAT_DROP);
    g_d.now = CW_NOW + SEC(1);
    use(lisp_nat_engine(nat), "nat");
    snprintf(row, sizeof row,
             "  udp  10.0.0.2:5000         -> %s:5000      remote any                   "
             "expires in 4m59s\n",
             ext);
    expect_ok("show nat", "NAT44\n  public addresses 203.0.113.1, 203.0.113.2\n",
              "  mapping          endpoint-independent\n",
              "  filtering        address-and-port-dependent\n",
              "  ports            preserve, 1024-65535\n", "  pooling          paired\n",
              "  hairpinning      on\n  inbound refresh  off\n",
              "  timeouts         udp 5m0s tcp-established 2h4m tcp-transitory 4m0s icmp 1m0s\n",
              "  outbound                     1\n", "  filtered                     1\n",
              "mappings (1)\n", row, NULL);
    snprintf(json, sizeof json,
             "\"mapping_count\":1,\"mappings\":[{\"proto\":\"udp\",\"internal\":\"10.0.0.2:5000\","
             "\"external\":\"%s:5000\",\"remote\":null,\"expires_in_s\":299}]}",
             ext);
    expect_ok("show nat all --json", "\"public_addresses\":[\"203.0.113.1\",\"203.0.113.2\"]",
              "\"mapping\":\"endpoint-independent\"", "\"max_mappings\":10",
              "\"timeouts_s\":{\"udp\":300,\"tcp-established\":7440,", "\"filtered\":1,", json,
              NULL);
    expect_error("show nat some", "'some' is not \"all\"");
    use(g_w.xtr, "xtr");
    expect_error("show nat", "role xtr has no NAT");
    lisp_nat_free(nat);
}

/* The JSON writer: escapes, separators, nesting, and a document it refuses to leave open. */
static void test_json_writer(void **state)
{
    ctl_out o;
    unsigned i;

    (void)state;
    memset(&o, 0, sizeof o);
    json_object(&o, NULL);
    json_str(&o, "q\"k", "a\"b\\c\nd\te\x01\x1f\x7f caf\xc3\xa9");
    json_str(&o, "none", NULL);
    json_array(&o, "list");
    json_u64(&o, NULL, UINT64_MAX);
    json_bool(&o, NULL, false);
    json_object(&o, NULL);
    json_end_object(&o);
    json_array(&o, NULL);
    json_end_array(&o);
    json_end_array(&o);
    json_seconds_until(&o, "until", SEC(10), SEC(12) + 1);
    json_seconds_since(&o, "since", SEC(10), SEC(7) + 1);
    json_seconds_until(&o, "never", SEC(10), LISP_TIME_NEVER);
    json_end_object(&o);
    assert_false(o.failed);
    assert_int_equal(o.depth, 0);
    assert_string_equal(o.buf, "{\"q\\\"k\":\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f\\u007f "
                               "caf\xc3\xa9\",\"none\":null,\"list\":[18446744073709551615,false,"
                               "{},[]],\"until\":3,\"since\":2,\"never\":null}");
    ctl_out_free(&o);

    for (i = 0; i <= CTL_JSON_DEPTH; i++) /* deeper than the writer nests: failed, not half */
        json_array(&o, NULL);
    assert_true(o.failed);
    ctl_out_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_writer),
        cmocka_unit_test_setup_teardown(test_socket_mode_and_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_socket_is_not_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_socket_replaced_other_files_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_silent_client_is_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slow_reader_is_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_framing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_help_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_level, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xtr_show_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xtr_show_map_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xtr_clear_map_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xtr_show_registrations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xtr_show_locators, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ms_show_registrations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ms_show_sites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ms_mr_show_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ms_alone, setup_ms, teardown),
        cmocka_unit_test_setup_teardown(test_nat_show, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
