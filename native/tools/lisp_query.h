/*
 * lisp_query.h - what the files of lisp-query share: the parsed command line, the session
 * (socket, pcap, receive buffer), the message builders used by the one-shot and the flood
 * paths, and the printers. The subcommands (lisp_query_request.c, _register.c, _info.c)
 * build and read messages with the project's wire codec only; OS code is in
 * lisp_query_os.c.
 *
 * Exit status of every subcommand: LQ_EXIT_OK (a reply, or a flood that was answered at
 * all), LQ_EXIT_NO_REPLY (no valid reply in time, or one that failed verification),
 * LQ_EXIT_USAGE (bad command line), LQ_EXIT_SYSTEM (a socket or file could not be used).
 */
#ifndef LISP_QUERY_H
#define LISP_QUERY_H

#include "lisp.h"
#include "lisp_query_os.h"

enum {
    LQ_EXIT_OK = 0,
    LQ_EXIT_NO_REPLY = 1,
    LQ_EXIT_USAGE = 2,
    LQ_EXIT_SYSTEM = 3
};

#define LQ_MAX_EIDS 16
#define LQ_MAX_RLOCS 16

typedef struct lq_opts {
    /* every subcommand */
    const char *server_text; /* -m, as typed (for messages) */
    lisp_endpoint server;    /* -m resolved, port from -p or the subcommand's default */
    bool has_port;           /* -p given */
    unsigned count;          /* attempts (-c), default 3 */
    lisp_time_t timeout;     /* wait per attempt (-t), default 2 s */
    lisp_endpoint source;    /* -s; afi LISP_AFI_NONE: the kernel's choice */
    bool json;               /* --json */
    const char *pcap_path;   /* --pcap */
    /* request and register */
    bool has_iid; /* -i: EIDs go in an Instance-ID LCAF */
    uint32_t iid;
    uint64_t flood;     /* --flood N; 0: one message (with retries) */
    double rate;        /* --rate, messages per second; 0: as fast as the socket takes */
    bool has_eid_range; /* --eid-range: flood EIDs are the addresses of this prefix */
    lisp_eid eid_range;
    /* request: the EID asked for (the positional argument) */
    lisp_eid eid;
    /* register and info */
    const uint8_t *key; /* -k, NUL-terminated text; NULL: none */
    size_t key_len;
    uint16_t key_id; /* --key-id, default 1 (register), 0 without -k (info) */
    unsigned n_eids; /* --eid (register; info: at most one) */
    lisp_eid eids[LQ_MAX_EIDS];
    unsigned n_rlocs; /* --rloc */
    lisp_locator rlocs[LQ_MAX_RLOCS];
    bool want_notify;     /* --want-notify */
    uint32_t ttl;         /* --ttl, record TTL in minutes, default 1440 */
    bool proxy_reply;     /* --proxy-reply */
    const char *hostname; /* --hostname (info): the lispers.net AFI-17 form */
} lq_opts;

/* One run's socket towards the server, its pcap, and a buffer for what arrives. */
typedef struct lq_session {
    const lq_opts *o;
    lq_sock sock;
    lq_pcap *pcap;
    uint8_t rx[LISP_MSG_MAX];
    uint8_t tx[LISP_MSG_MAX];
    uint8_t inner[LISP_MSG_MAX]; /* an ECM's inner message while it is built */
    lisp_msg out;                /* a message being built */
    lisp_msg msg;                /* a decoded reply */
} lq_session;

/* Open the socket (and the pcap); LQ_EXIT_OK or LQ_EXIT_SYSTEM. rcvbuf as lq_sock_open. */
int lq_session_open(lq_session *s, const lq_opts *o, int rcvbuf);
void lq_session_close(lq_session *s);
/* Send len bytes of s->tx to the server (recorded in the pcap). 0 or -errno. */
int lq_session_send(lq_session *s, size_t len);
/* Receive one datagram into s->rx (recorded in the pcap): 1, 0 on timeout, or -errno. */
int lq_session_recv(lq_session *s, lisp_time_t deadline, lisp_endpoint *from, size_t *len);

/* ---- the subcommands (lq_opts filled and checked by lisp_query.c) ---- */
int lq_cmd_request(const lq_opts *o);
int lq_cmd_register(const lq_opts *o);
int lq_cmd_info(const lq_opts *o);

/* ---- sending and matching replies (lisp_query_session.c, lisp_query_flood.c) ---- */

/* Build the message with this nonce (message number i of a flood, 0 otherwise) into s->tx;
 * LISP_OK or a LISP_ERR_*. */
typedef int lq_build_fn(lq_session *s, uint64_t i, uint64_t nonce, size_t *len);
/* Whether s->rx[0..len) is the awaited kind of reply, decoded into s->msg with its nonce in
 * *nonce: 1 yes (and verified, where the kind carries an HMAC), -1 the right kind with a
 * nonce but it failed verification, 0 anything else. */
typedef int lq_match_fn(lq_session *s, size_t len, uint64_t *nonce);

/* One question with retries: up to o->count attempts, each with a fresh nonce, waiting
 * o->timeout after each for a reply that matches the nonce of any attempt. 1 with the RTT
 * (from that attempt's send) and the sender, the reply decoded in s->msg; 0 when nothing
 * matched in time (*auth_failures counts replies of ours that failed verification); -1
 * (reported on stderr) when a message could not be built, sent or received. */
int lq_exchange(lq_session *s, lq_build_fn *build, lq_match_fn *match, lisp_time_t *rtt,
                lisp_endpoint *from, unsigned *auth_failures);

/* Send o->flood messages with nonces base, base+1, ... (paced by o->rate), count the
 * distinct nonces answered (match NULL: no replies are awaited) until o->timeout after the
 * last send, and print sent/received/elapsed/rate. LQ_EXIT_OK when every message was
 * sent and, with match, at least one answered. what and reply_what name the messages in
 * the plural ("Map-Requests", "Map-Replies"). */
int lq_flood(lq_session *s, const char *what, const char *reply_what, lq_build_fn *build,
             lq_match_fn *match);

/* The i-th address of a prefix (host bits = i modulo the prefix size) as a host prefix. */
lisp_eid lq_eid_range_at(const lisp_eid *range, uint64_t i);

/* ---- text in and out (lisp_query_text.c) ---- */

/* "10.1.0.0/16", "2001:db8::1" (a host prefix without the length), canonical (host bits
 * cleared). 0, or -1 when it does not parse. */
int lq_parse_eid(const char *arg, lisp_eid *out);

/* "10.1.0.0/16", "[7]2001:db8::/32" */
const char *lq_eid_str(const lisp_eid *e, char *buf, size_t cap);
const char *lq_prefix_str(const lisp_prefix *p, char *buf, size_t cap);
const char *lq_endpoint_str(const lisp_endpoint *e, char *buf, size_t cap); /* "1.2.3.4:4342" */
const char *lq_action_name(uint8_t action);
/* Milliseconds with microsecond precision, for "rtt". */
double lq_ms(lisp_time_t ns);

/* Print a Map-Reply's records, lig style (text) or as a JSON object body (json). */
void lq_print_records(const lisp_map_reply *r, bool json);

/* JSON string literal of text (quoted and escaped) to stdout. */
void lq_json_str(const char *text);

#endif /* LISP_QUERY_H */
