/*
 * test_msmr_host.c - lisp-test-msmr, a test host for lisp-query: the "ms+mr" role of the
 * engine table (a Map-Server and a co-located Map-Resolver) on one UDP socket on a loopback
 * address, driven by a poll loop with CLOCK_MONOTONIC time and getrandom() nonces. It
 * decides nothing itself: every byte it sends is the engines' (lisp_host.h contract).
 *
 *   lisp-test-msmr [--bind ADDR] [--port N] --site NAME,KEY_ID,KEY,PREFIX[,proxy] ...
 *
 * It prints "port N" (the bound port; --port 0, the default, takes a free one) on stdout
 * once it listens, runs until SIGTERM or SIGINT, then prints every engine counter as
 * "group.name value" and exits 0. The tests of lisp-query (test_lisp_query.py) and the
 * control-plane benchmark use it until the daemon lispd can take its place.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_query.h"

#define MAX_SITES 8

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

typedef struct host {
    lq_sock sock;
    lisp_engine *engine;
} host;

static uint64_t host_random(void *user)
{
    (void)user;
    return lq_random64();
}

static void host_log(void *user, int level, const char *message)
{
    (void)user;
    if (level >= LISP_LOG_WARN)
        fprintf(stderr, "lisp-test-msmr: %s\n", message);
}

static int host_send(void *user, const lisp_dgram *d, const uint8_t *payload, size_t len)
{
    host *h = user;
    return lq_sock_send(&h->sock, &d->dst, payload, len) == 0 ? LISP_OK : LISP_ERR_INVALID_ARG;
}

/* NAME,KEY_ID,KEY,PREFIX[,proxy] into one site with one prefix (more-specifics accepted). */
static int parse_site(char *arg, lisp_ms_site_config *site, lisp_ms_prefix_config *prefix)
{
    char *name = strtok(arg, ","), *key_id = strtok(NULL, ","), *key = strtok(NULL, ",");
    char *pfx = strtok(NULL, ","), *flag = strtok(NULL, ",");

    if (!pfx || (key_id[0] != '1' && key_id[0] != '2') || key_id[1])
        return -1;
    memset(site, 0, sizeof *site);
    memset(prefix, 0, sizeof *prefix);
    if (lq_parse_eid(pfx, &prefix->prefix) < 0)
        return -1;
    prefix->accept_more_specifics = true;
    site->name = name;
    site->key_id = (uint16_t)(key_id[0] - '0');
    site->key = (const uint8_t *)key;
    site->key_len = strlen(key);
    site->prefixes = prefix;
    site->n_prefixes = 1;
    if (flag && strcmp(flag, "proxy") != 0)
        return -1;
    site->proxy_reply = flag != NULL;
    return 0;
}

static void print_stats(const lisp_engine *e)
{
    lisp_stat stats[256];
    size_t n = lisp_engine_stats(e, stats, 256), i;

    for (i = 0; i < n && i < 256; i++)
        if (stats[i].value)
            printf("%s.%s %llu\n", stats[i].group, stats[i].name,
                   (unsigned long long)stats[i].value);
}

int main(int argc, char **argv)
{
    static uint8_t buf[LISP_MSG_MAX];
    static lisp_ms_site_config sites[MAX_SITES];
    static lisp_ms_prefix_config prefixes[MAX_SITES];
    const lisp_role_desc *role = lisp_role_find("ms+mr");
    lisp_ms_mr_config cfg;
    lisp_endpoint local;
    lisp_host lh;
    host h;
    size_t n_sites = 0;
    const char *bind_addr = "127.0.0.1";
    unsigned long port = 0;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--site") == 0 && i + 1 < argc && n_sites < MAX_SITES) {
            if (parse_site(argv[++i], &sites[n_sites], &prefixes[n_sites]) < 0)
                goto usage;
            n_sites++;
        } else if (strcmp(argv[i], "--bind") == 0 && i + 1 < argc) {
            bind_addr = argv[++i];
        } else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            port = strtoul(argv[++i], NULL, 10);
        } else {
            goto usage;
        }
    }
    if (!role || n_sites == 0 || port > 65535 || lq_resolve(bind_addr, (uint16_t)port, &local) < 0)
        goto usage;

    memset(&h, 0, sizeof h);
    if (lq_sock_bind(&h.sock, &local, 8 << 20) < 0)
        return 3;
    memset(&lh, 0, sizeof lh);
    lh.env.user_data = &h;
    lh.env.random = host_random;
    lh.env.log = host_log;
    lh.out.send = host_send;
    role->config_default(&cfg);
    cfg.ms.sites = sites;
    cfg.ms.n_sites = n_sites;
    h.engine = role->create(&cfg, &lh, lq_now());
    if (!h.engine)
        return 3;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    printf("port %u\n", h.sock.local.port);
    fflush(stdout);

    while (!stop) {
        lisp_time_t now = lq_now(), due = lisp_engine_next_expiry(h.engine);
        lisp_time_t wake = now + 200 * LISP_NS_PER_MS; /* look at the stop flag now and then */
        lisp_dgram d;
        size_t len;
        int rc = lq_sock_recv(&h.sock, due < wake ? due : wake, &d.src, buf, sizeof buf, &len);

        now = lq_now();
        if (rc == 1) {
            memset(&d.dst, 0, sizeof d.dst);
            d.dst = h.sock.local;
            d.ifindex = 0;
            d.ttl = 0;
            d.tos = 0;
            lisp_engine_input(h.engine, now, &d, buf, len);
        }
        if (lisp_engine_next_expiry(h.engine) <= now)
            lisp_engine_handle_expiry(h.engine, now);
    }
    print_stats(h.engine);
    lisp_engine_free(h.engine);
    lq_sock_close(&h.sock);
    return 0;
usage:
    fprintf(stderr, "usage: lisp-test-msmr [--bind ADDR] [--port N] "
                    "--site NAME,KEY_ID,KEY,PREFIX[,proxy] ...\n");
    return 2;
}
