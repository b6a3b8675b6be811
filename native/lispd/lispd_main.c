/*
 * lispd_main.c - lispd's command line and process lifecycle: options, --check-config,
 * daemonizing, the pidfile, the exit status. Everything else is in lispd.h's files.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lispd.h"
#include "lispd_log.h"
#include "lispd_loop.h"
#include "lispd_role.h"

#ifndef LISPD_VERSION
#define LISPD_VERSION "unknown"
#endif

static void usage(FILE *out)
{
    fprintf(
        out,
        "Usage: lispd -c FILE [--foreground] [--log-level LEVEL] [--log-to stderr|syslog]\n"
        "             [-s SOCKET] [--pidfile FILE]\n"
        "       lispd --check-config FILE\n"
        "       lispd --help | --version\n"
        "\n"
        "lispd runs one LISP role (or bundle) from a configuration file, with the same\n"
        "protocol engines as the ns-3 module: %s.\n"
        "\n"
        "Options\n"
        "  -c, --config FILE          the configuration file (required)\n"
        "  -f, --foreground           stay in the foreground (default: daemonize)\n"
        "  -l, --log-level LEVEL      debug | info | warn | error (overrides log-level)\n"
        "      --log-to SINK          stderr | syslog (overrides log-to)\n"
        "  -s, --control-socket PATH  the control socket (overrides control-socket;\n"
        "                             default " LISPD_CONTROL_SOCKET_DEFAULT ", mode 0600)\n"
        "  -p, --pidfile FILE         write the process id there (default when\n"
        "                             daemonizing: " LISPD_RUN_DIR "/NAME.pid, NAME the\n"
        "                             file's name without .conf)\n"
        "  -C, --check-config FILE    parse FILE and let the engine check it; print\n"
        "                             \"FILE: ok\" and exit 0, or FILE:LINE: problem and exit 1\n"
        "  -h, --help                 this text\n"
        "  -V, --version              the version\n"
        "\n"
        "Configuration keys (docs/native.md has every key with its default)\n"
        "  every role   role, log-level, log-to, control-socket, control-socket-mode,\n"
        "               pidfile\n"
        "  xTR roles    tun { name, mtu, eid-routes }, eid-prefix \"P\" { iid },\n"
        "  (xtr pitr    rloc \"ADDR\" { priority, weight }, rloc-interface \"IF\" { priority,\n"
        "   petr pxtr)  weight }, map-resolver, map-server \"ADDR\" { key-id, key },\n"
        "               proxy-etr, register-interval, register-retry-timeout,\n"
        "               register-retries, want-map-notify, proxy-reply, xtr-id, site-id,\n"
        "               mapping-ttl, miss-policy, queue-packets, max-pending,\n"
        "               request-timeout, request-retries, mapcache-max-entries,\n"
        "               mapcache-max-ttl, iid, max-packet, fixed-data-port\n"
        "  ms, ms+mr    site \"NAME\" { key-id, key, eid-prefix, accept-more-specifics,\n"
        "               proxy-reply }, registration-ttl, unregistered-ttl,\n"
        "               notify-timeout, notify-retries, reject-zero-nonce, negative-ttl\n"
        "  mr, ms+mr    delegate \"PREFIX\" { map-server }, negative-ttl\n"
        "  nat          inside-interface, outside-interface, public-addresses, preset,\n"
        "               mapping, filtering, port-policy, pooling, port-range,\n"
        "               timeouts { udp, tcp-established, tcp-transitory, icmp },\n"
        "               inbound-refresh, hairpinning, max-mappings, queue\n"
        "\n"
        "Signals\n"
        "  SIGINT, SIGTERM  clean shutdown: routes, TUN, NAT queue rules, sockets and the\n"
        "                   control socket are removed, the final counters logged\n"
        "  SIGHUP           re-read the file; RLOC, route, MTU and log changes apply to\n"
        "                   the running engine, other changes create a new engine; a file\n"
        "                   that does not load is logged and ignored\n"
        "\n"
        "Files\n"
        "  /etc/lispd/*.conf         configurations (examples in share/doc/lisp/examples)\n"
        "  %-24s  the default control socket (lispctl -s)\n"
        "  /dev/net/tun              the EID side of the xTR roles\n"
        "  nft, iptables-restore     install the NAT role's NFQUEUE rules\n"
        "\n"
        "Exit status: 0 after a clean shutdown, 1 on errors (configuration, a port in use).\n",
        lispd_role_names(), LISPD_CONTROL_SOCKET_DEFAULT);
}

/* --check-config: the file parses and the engine accepts what it says. */
static int check_config(const char *path)
{
    lispd_config c;
    char err[512];
    lisp_host host = lispd_host_check();
    lisp_engine *e;

    lispd_log_set_level(LISP_LOG_WARN);
    if (lispd_config_load(path, &c, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        lispd_config_free(&c);
        return 1;
    }
    e = lispd_engine_create(NULL, &c, &host);
    if (!e) {
        fprintf(stderr, "%s: the %s engine refuses this configuration\n", path, c.role->name);
        lispd_config_free(&c);
        return 1;
    }
    lisp_engine_free(e);
    printf("%s: ok (role %s)\n", path, c.role->name);
    lispd_config_free(&c);
    return 0;
}

static void default_pidfile(lispd_config *c)
{
    const char *base = strrchr(c->path, '/');
    size_t len;

    base = base ? base + 1 : c->path;
    len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".conf") == 0)
        len -= 5;
    if (len > 200)
        len = 200; /* a name, not a path: keep it short */
    snprintf(c->pidfile, sizeof c->pidfile, "%s/%.*s.pid", LISPD_RUN_DIR, (int)len, base);
}

static int write_pidfile(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        lispd_error("cannot write the pidfile %s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "%ld\n", (long)getpid());
    return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"foreground", no_argument, NULL, 'f'},
        {"log-level", required_argument, NULL, 'l'},
        {"log-to", required_argument, NULL, 'L'},
        {"control-socket", required_argument, NULL, 's'},
        {"pidfile", required_argument, NULL, 'p'},
        {"check-config", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static lispd d; /* large (receive batch pointers, routes): not on the stack */
    const char *config = NULL;
    bool foreground = false, pidfile_written = false;
    char err[512];
    int opt;

    d.overrides.log_level = d.overrides.log_to = -1;
    d.epfd = d.sigfd = d.timerfd = -1;
    d.tun.fd = -1;
    lispd_nfq_init(&d.nfq);
    lispd_socks_init(&d.socks);
    while ((opt = getopt_long(argc, argv, "c:fl:s:p:C:hV", options, NULL)) != -1) {
        switch (opt) {
        case 'c':
            config = optarg;
            break;
        case 'f':
            foreground = true;
            break;
        case 'l':
            d.overrides.log_level = lispd_log_level_parse(optarg);
            if (d.overrides.log_level < 0) {
                fprintf(stderr, "lispd: --log-level: '%s' is not debug, info, warn or error\n",
                        optarg);
                return 1;
            }
            break;
        case 'L':
            d.overrides.log_to = lispd_log_to_parse(optarg);
            if (d.overrides.log_to < 0) {
                fprintf(stderr, "lispd: --log-to: '%s' is not stderr or syslog\n", optarg);
                return 1;
            }
            break;
        case 's':
            d.overrides.control_socket = optarg;
            break;
        case 'p':
            d.overrides.pidfile = optarg;
            break;
        case 'C':
            return check_config(optarg);
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("lispd %s\n", LISPD_VERSION);
            return 0;
        default:
            usage(stderr);
            return 1;
        }
    }
    if (!config || optind < argc) {
        fprintf(stderr, "lispd: %s\n", config ? "unexpected arguments" : "no -c FILE");
        usage(stderr);
        return 1;
    }
    if (lispd_config_load(config, &d.cfg, err, sizeof err) != 0) {
        fprintf(stderr, "lispd: %s\n", err);
        lispd_config_free(&d.cfg);
        return 1;
    }
    if (lispd_apply_overrides(&d.overrides, &d.cfg) != 0) {
        fprintf(stderr, "lispd: a path on the command line is too long\n");
        lispd_config_free(&d.cfg);
        return 1;
    }
    lispd_log_set_level(d.cfg.log_level);
    lispd_log_open(d.cfg.log_to);

    if (lispd_start(&d) != 0) {
        lispd_stop(&d);
        lispd_config_free(&d.cfg);
        lispd_log_close();
        return 1;
    }
    if (!foreground) {
        /* Everything is open (errors reached the terminal); detach now. stderr goes to
         * /dev/null, so a daemon logs to syslog. */
        if (!d.cfg.pidfile[0])
            default_pidfile(&d.cfg);
        if (daemon(0, 0) != 0 || lispd_loop_after_fork(&d) != 0) {
            lispd_error("cannot daemonize: %s", strerror(errno));
            d.exit_status = 1;
            d.stop = true;
        }
        lispd_log_open(LISPD_LOG_TO_SYSLOG);
    }
    if (d.cfg.pidfile[0] && !d.stop)
        pidfile_written = write_pidfile(d.cfg.pidfile) == 0;
    if (!d.stop && lispd_loop(&d) != 0)
        d.exit_status = 1;
    lispd_stop(&d);
    if (pidfile_written)
        unlink(d.cfg.pidfile);
    lispd_info("exit %d", d.exit_status);
    lispd_config_free(&d.cfg);
    lispd_log_close();
    return d.exit_status;
}
