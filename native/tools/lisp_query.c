/*
 * lisp_query.c - lisp-query, a LISP control-plane query tool in the spirit of LISPmob's lig:
 * the command line (one table row per subcommand, one table of options), --help and
 * --version. The subcommands live in lisp_query_request.c, _register.c and _info.c.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_query.h"

#ifndef LISP_QUERY_VERSION
#define LISP_QUERY_VERSION "unknown"
#endif

/* Option codes: the short options are their letters; long-only options get letters that
 * are not short options, so that one string per subcommand says what it accepts. */
enum {
    OPT_JSON = 'J',
    OPT_KEY_ID = 'K',
    OPT_EID = 'E',
    OPT_RLOC = 'R',
    OPT_WANT_NOTIFY = 'W',
    OPT_TTL = 'T',
    OPT_PROXY = 'P',
    OPT_FLOOD = 'F',
    OPT_RATE = 'r',
    OPT_RANGE = 'G',
    OPT_PCAP = 'C',
    OPT_HOSTNAME = 'H',
};

static const struct option long_options[] = {
    {"map-server", required_argument, NULL, 'm'},
    {"map-resolver", required_argument, NULL, 'm'},
    {"count", required_argument, NULL, 'c'},
    {"timeout", required_argument, NULL, 't'},
    {"source", required_argument, NULL, 's'},
    {"port", required_argument, NULL, 'p'},
    {"iid", required_argument, NULL, 'i'},
    {"key", required_argument, NULL, 'k'},
    {"json", no_argument, NULL, OPT_JSON},
    {"key-id", required_argument, NULL, OPT_KEY_ID},
    {"eid", required_argument, NULL, OPT_EID},
    {"rloc", required_argument, NULL, OPT_RLOC},
    {"want-notify", no_argument, NULL, OPT_WANT_NOTIFY},
    {"ttl", required_argument, NULL, OPT_TTL},
    {"proxy-reply", no_argument, NULL, OPT_PROXY},
    {"flood", required_argument, NULL, OPT_FLOOD},
    {"rate", required_argument, NULL, OPT_RATE},
    {"eid-range", required_argument, NULL, OPT_RANGE},
    {"pcap", required_argument, NULL, OPT_PCAP},
    {"hostname", required_argument, NULL, OPT_HOSTNAME},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
static const char short_options[] = "m:c:t:s:p:i:k:h";

typedef struct lq_command {
    const char *name;
    const char *synopsis;
    const char *accepts; /* option codes it takes besides -m, -c, -t, -s, -p, --pcap */
    unsigned positional; /* arguments after the options */
    int (*check)(lq_opts *o, char **args); /* completes o; -1: usage error (reported) */
    int (*run)(const lq_opts *o);
} lq_command;

static int check_request(lq_opts *o, char **args);
static int check_register(lq_opts *o, char **args);
static int check_info(lq_opts *o, char **args);

static const lq_command commands[] = {
    {"request",
     "request EID[/LEN] -m MAP_RESOLVER [-c COUNT] [-t TIMEOUT] [-s SOURCE] [-p PORT]\n"
     "                [-i IID] [--json] [--flood N [--rate R] [--eid-range PREFIX]]\n"
     "                [--pcap FILE]",
     "iJFrG", 1, check_request, lq_cmd_request},
    {"register",
     "register -m MAP_SERVER -k KEY [--key-id 1|2] --eid PREFIX\n"
     "                --rloc ADDR[,PRIORITY,WEIGHT]... [--want-notify] [--ttl MIN]\n"
     "                [--proxy-reply] [-i IID] [-c N] [-t TIMEOUT] [-s SOURCE] [-p PORT]\n"
     "                [--json] [--flood N [--rate R] [--eid-range PREFIX]] [--pcap FILE]",
     "ikJKERWTPFrG", 0, check_register, lq_cmd_register},
    {"info",
     "info -m MAP_SERVER_OR_RTR [-k KEY [--key-id 1|2]] [-p 4342|4341] [--eid PREFIX]\n"
     "                [--hostname NAME] [-c COUNT] [-t TIMEOUT] [-s SOURCE] [--json]\n"
     "                [--pcap FILE]",
     "kKEJH", 0, check_info, lq_cmd_info},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: lisp-query COMMAND [OPTIONS]\n       lisp-query --help | --version\n\n");
    for (i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  lisp-query %s\n", commands[i].synopsis);
}

static void help(void)
{
    printf("NAME\n"
           "    lisp-query - query and exercise a LISP mapping system (RFC 9301), like lig\n\n"
           "SYNOPSIS\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        printf("    lisp-query %s\n", commands[i].synopsis);
    printf(
        "\nDESCRIPTION\n"
        "    request   Sends a Map-Request for EID inside an Encapsulated Control Message to the\n"
        "              Map-Resolver's port 4342 from an ephemeral local port; the inner UDP "
        "source\n"
        "              port is that port, so the Map-Reply comes back to it from the resolver,\n"
        "              a Map-Server or an ETR. Prints every EID-record (prefix, TTL, "
        "authoritative\n"
        "              bit, action of a negative reply) and locator (priority/weight,\n"
        "              m-priority/m-weight, reachability) and the round-trip time.\n"
        "    register  Sends a Map-Register for the --eid prefixes with the --rloc locators,\n"
        "              signed with KEY: key-id 1 is HMAC-SHA-1-96 with a 20-byte authentication\n"
        "              field, key-id 2 HMAC-SHA-256-128 with a 32-byte field, the lengths OOR,\n"
        "              lispers.net, OpenLISP and lig use. With --want-notify it waits for the\n"
        "              Map-Notify and verifies its HMAC with KEY.\n"
        "    info      Sends an Info-Request (NAT traversal) to a Map-Server (port 4342) or an\n"
        "              RTR (-p 4341) and prints the Info-Reply: translated global address and\n"
        "              port, Map-Server port, ETR port, private address and RTRs.\n\n"
        "OPTIONS\n"
        "    -m, --map-resolver, --map-server ADDR   the server (address or host name)\n"
        "    -p, --port PORT       the server's UDP port (default 4342)\n"
        "    -c, --count N         attempts before giving up (default 3)\n"
        "    -t, --timeout SEC     wait for a reply after each attempt (default 2; decimals)\n"
        "    -s, --source ADDR     local address to send from (and to put in the ITR-RLOC)\n"
        "    -i, --iid IID         put EIDs in an Instance-ID LCAF\n"
        "    -k, --key KEY         shared key (register; info: sign the Info-Request)\n"
        "        --key-id 1|2      HMAC-SHA-1-96 (default) or HMAC-SHA-256-128\n"
        "        --eid PREFIX      EID-prefix to register (repeatable), or of the Info-Request\n"
        "        --rloc ADDR[,P,W] locator with priority P and weight W (default 1,100;\n"
        "                          repeatable)\n"
        "        --want-notify     set the M bit and wait for a verified Map-Notify\n"
        "        --ttl MIN         record TTL in minutes (default 1440)\n"
        "        --proxy-reply     set the P bit: the Map-Server answers for us\n"
        "        --hostname NAME   name the xTR in the Info-Request (AFI 17, lispers.net)\n"
        "        --json            print the result as one JSON object\n"
        "        --pcap FILE       write every datagram sent and received to FILE (raw IP)\n"
        "        --flood N         send N messages with distinct nonces as fast as allowed,\n"
        "                          count the replies, print sent/received/elapsed/rate\n"
        "        --rate R          flood at most R messages per second\n"
        "        --eid-range PFX   flood: message i uses the i-th address of PFX\n"
        "    -h, --help            this text\n"
        "        --version         the version\n\n"
        "EXIT STATUS\n"
        "    0 a (verified) reply, 1 none in time or verification failed, 2 usage error,\n"
        "    3 a socket or file could not be used.\n\n"
        "EXAMPLES\n"
        "    lisp-query request 10.1.1.1 -m 192.0.2.10\n"
        "    lisp-query register -m 192.0.2.10 -k secret --key-id 2 --eid 10.1.0.0/16 \\\n"
        "        --rloc 198.51.100.1,1,100 --want-notify\n"
        "    lisp-query info -m 192.0.2.20 -p 4341\n");
}

static int bad(const char *what, const char *arg)
{
    fprintf(stderr, "lisp-query: invalid %s: '%s'\n", what, arg);
    return -1;
}

static int parse_uint(const char *arg, unsigned long long max, unsigned long long *out)
{
    char *end;
    unsigned long long v;

    if (!*arg || *arg == '-')
        return -1;
    v = strtoull(arg, &end, 0);
    if (*end || v > max)
        return -1;
    *out = v;
    return 0;
}

/* "192.0.2.1" or "192.0.2.1,PRIORITY,WEIGHT". */
static int parse_rloc(const char *arg, lisp_locator *out)
{
    char text[80];
    char *prio, *weight;
    unsigned long long p = 1, w = 100;
    lisp_afi_addr a;

    if (strlen(arg) >= sizeof text)
        return -1;
    strcpy(text, arg);
    prio = strchr(text, ',');
    if (prio) {
        *prio++ = '\0';
        weight = strchr(prio, ',');
        if (!weight)
            return -1;
        *weight++ = '\0';
        if (parse_uint(prio, 255, &p) < 0 || parse_uint(weight, 255, &w) < 0)
            return -1;
    }
    if (lisp_afi_from_str(&a, text) < 0 || (a.afi != LISP_AFI_IPV4 && a.afi != LISP_AFI_IPV6))
        return -1;
    memset(out, 0, sizeof *out);
    out->priority = (uint8_t)p;
    out->weight = (uint8_t)w;
    out->mpriority = 255; /* no multicast */
    out->flags = LISP_LOC_F_R;
    out->addr = lisp_addr_plain(a);
    return 0;
}

static int parse_seconds(const char *arg, lisp_time_t *out)
{
    char *end;
    double v = strtod(arg, &end);

    if (*end || !(v > 0) || v > 3600)
        return -1;
    *out = (lisp_time_t)(v * (double)LISP_NS_PER_SEC);
    return 0;
}

/* One option into o; -1 on a bad value. */
static int take_option(lq_opts *o, int c, const char *arg)
{
    unsigned long long v;
    char *end;

    switch (c) {
    case 'm':
        o->server_text = arg;
        return 0;
    case 'c':
        if (parse_uint(arg, 1000, &v) < 0 || v == 0)
            return bad("count", arg);
        o->count = (unsigned)v;
        return 0;
    case 't':
        return parse_seconds(arg, &o->timeout) < 0 ? bad("timeout", arg) : 0;
    case 's':
        return lq_resolve(arg, 0, &o->source) < 0 ? bad("source address", arg) : 0;
    case 'p':
        if (parse_uint(arg, 65535, &v) < 0 || v == 0)
            return bad("port", arg);
        o->server.port = (uint16_t)v;
        o->has_port = true;
        return 0;
    case 'i':
        if (parse_uint(arg, 0xFFFFFF, &v) < 0)
            return bad("instance-ID (0..16777215)", arg);
        o->has_iid = true;
        o->iid = (uint32_t)v;
        return 0;
    case 'k':
        o->key = (const uint8_t *)arg;
        o->key_len = strlen(arg);
        return o->key_len > LISP_AUTH_KEY_MAX ? bad("key (too long)", arg) : 0;
    case OPT_JSON:
        o->json = true;
        return 0;
    case OPT_KEY_ID:
        if (parse_uint(arg, 2, &v) < 0 || v == 0)
            return bad("key-id (1 or 2)", arg);
        o->key_id = (uint16_t)v;
        return 0;
    case OPT_EID:
        if (o->n_eids == LQ_MAX_EIDS || lq_parse_eid(arg, &o->eids[o->n_eids]) < 0)
            return bad("EID-prefix", arg);
        o->n_eids++;
        return 0;
    case OPT_RLOC:
        if (o->n_rlocs == LQ_MAX_RLOCS || parse_rloc(arg, &o->rlocs[o->n_rlocs]) < 0)
            return bad("RLOC (ADDR or ADDR,PRIORITY,WEIGHT)", arg);
        o->n_rlocs++;
        return 0;
    case OPT_WANT_NOTIFY:
        o->want_notify = true;
        return 0;
    case OPT_TTL:
        if (parse_uint(arg, 0xFFFFFFFFu, &v) < 0)
            return bad("TTL (minutes)", arg);
        o->ttl = (uint32_t)v;
        return 0;
    case OPT_PROXY:
        o->proxy_reply = true;
        return 0;
    case OPT_FLOOD:
        if (parse_uint(arg, 100000000, &v) < 0 || v == 0)
            return bad("flood count", arg);
        o->flood = v;
        return 0;
    case OPT_RATE:
        o->rate = strtod(arg, &end);
        return *end || !(o->rate > 0) ? bad("rate", arg) : 0;
    case OPT_RANGE:
        o->has_eid_range = true;
        return lq_parse_eid(arg, &o->eid_range) < 0 ? bad("EID range", arg) : 0;
    case OPT_PCAP:
        o->pcap_path = arg;
        return 0;
    case OPT_HOSTNAME:
        o->hostname = arg;
        return strlen(arg) > LISP_NAME_MAX ? bad("hostname (too long)", arg) : 0;
    }
    return -1;
}

/* The checks of each subcommand that need the whole command line. */
static int check_request(lq_opts *o, char **args)
{
    return lq_parse_eid(args[0], &o->eid) < 0 ? bad("EID", args[0]) : 0;
}

static int check_register(lq_opts *o, char **args)
{
    (void)args;
    if (!o->key || !o->n_eids || !o->n_rlocs) {
        fprintf(stderr, "lisp-query register: -k KEY, --eid and --rloc are required\n");
        return -1;
    }
    if (!o->key_id)
        o->key_id = LISP_KEY_ID_HMAC_SHA1_96;
    if (o->flood && o->has_eid_range && o->n_eids > 1) {
        fprintf(stderr, "lisp-query register: --eid-range floods one --eid at a time\n");
        return -1;
    }
    return 0;
}

static int check_info(lq_opts *o, char **args)
{
    (void)args;
    if (o->n_eids > 1) {
        fprintf(stderr, "lisp-query info: at most one --eid\n");
        return -1;
    }
    if (o->key_id && !o->key) {
        fprintf(stderr, "lisp-query info: --key-id needs -k KEY\n");
        return -1;
    }
    if (o->key && !o->key_id)
        o->key_id = LISP_KEY_ID_HMAC_SHA1_96;
    return 0;
}

/* The checks every subcommand shares, then its own. */
static int check_command(const lq_command *cmd, lq_opts *o, char **args)
{
    if (!o->server_text) {
        fprintf(stderr, "lisp-query %s: -m SERVER is required\n", cmd->name);
        return -1;
    }
    if (lq_resolve(o->server_text, o->server.port, &o->server) < 0)
        return bad("server", o->server_text);
    if (o->source.afi != LISP_AFI_NONE && o->source.afi != o->server.afi)
        return bad("source address (not of the server's family)", "-s");
    if ((o->rate > 0 || o->has_eid_range) && !o->flood) {
        fprintf(stderr, "lisp-query %s: --rate and --eid-range need --flood\n", cmd->name);
        return -1;
    }
    return cmd->check(o, args);
}

static int run_command(const lq_command *cmd, int argc, char **argv)
{
    lq_opts o;
    int c;

    memset(&o, 0, sizeof o);
    o.count = 3;
    o.timeout = 2 * LISP_NS_PER_SEC;
    o.ttl = 1440;
    o.server.port = LISP_CONTROL_PORT;
    optind = 1;
    opterr = 0; /* reported below, with the subcommand's name */
    while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
        if (c == 'h') {
            help();
            return LQ_EXIT_OK;
        }
        if (c == '?') {
            fprintf(stderr, "lisp-query %s: unknown option or missing value: '%s'\n", cmd->name,
                    argv[optind - 1]);
            goto usage;
        }
        if (!strchr("mctsp", c) && c != OPT_PCAP && !strchr(cmd->accepts, c)) {
            fprintf(stderr, "lisp-query %s: option '%s' does not apply\n", cmd->name,
                    argv[optind - 1]);
            goto usage;
        }
        if (take_option(&o, c, optarg) < 0)
            goto usage;
    }
    if ((unsigned)(argc - optind) != cmd->positional) {
        fprintf(stderr, "lisp-query %s: %s\n", cmd->name,
                argc - optind > (int)cmd->positional ? "too many arguments" : "missing argument");
        goto usage;
    }
    if (check_command(cmd, &o, argv + optind) < 0)
        goto usage;
    return cmd->run(&o);
usage:
    fprintf(stderr, "usage: lisp-query %s\n", cmd->synopsis);
    return LQ_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    size_t i;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        usage(stderr);
        return LQ_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        help();
        return LQ_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("lisp-query %s\n", LISP_QUERY_VERSION);
        return LQ_EXIT_OK;
    }
    for (i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return run_command(&commands[i], argc - 1, argv + 1);
    fprintf(stderr, "lisp-query: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return LQ_EXIT_USAGE;
}
