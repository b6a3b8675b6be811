/*
 * lispd_nfq.h - the NAT daemon's packet hook: two NFQUEUE queues of the network namespace,
 * one per direction, read with libmnl and libnetfilter_queue's nfq_nlmsg_* helpers. OS code
 * only: the NAT engine decides what happens to every packet (lispd_loop.c hands the
 * batches to it).
 *
 * lispd_nfq_open binds the queues, then installs the rules that feed them
 * (lispd_nfq_rules.c): in the raw table's prerouting hook, packets that come in on the
 * inside interface go to queue `queue` and those from the outside interface to `queue + 1`,
 * untracked by conntrack. Prerouting runs before the routing decision, so a rewritten
 * destination is routed as if the packet had arrived that way: inbound packets to a public
 * address go to the inside host, hairpinned ones back to the inside (docs/design.md, "The
 * native NAT's packet hook").
 *
 * lispd_nfq_ready drains one queue in batches: up to LISPD_NFQ_BATCH packets are received
 * (recvmmsg), handed to the callback as arrays of writable IPv4 packets, and answered with
 * one sendmsg of verdicts: the rewritten packet, accepted as it was, or dropped.
 */
#ifndef LISPD_NFQ_H
#define LISPD_NFQ_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#define LISPD_NFQ_BATCH 64

enum {
    LISPD_NFQ_OUTBOUND = 0,
    LISPD_NFQ_INBOUND = 1
}; /* queue index: direction */

/* What the callback says of each packet. */
enum {
    LISPD_NFQ_ACCEPT = 0,           /* accept as it came */
    LISPD_NFQ_ACCEPT_REWRITTEN = 1, /* accept the (rewritten) bytes of the buffer */
    LISPD_NFQ_DROP = 2,
};

/* Which tool installed the rules (what must remove them). */
enum {
    LISPD_NFQ_RULES_NONE = 0,
    LISPD_NFQ_RULES_NFT = 1,
    LISPD_NFQ_RULES_IPTABLES = 2
};

typedef struct lispd_nfq_stats {
    uint64_t packets;   /* received from both queues */
    uint64_t batches;   /* lispd_nfq_ready rounds that found packets */
    uint64_t truncated; /* longer than the copy range: dropped (never forwarded half) */
    uint64_t overruns;  /* ENOBUFS: the kernel dropped packets the queue could not hold */
    uint64_t nl_errors; /* verdicts or messages the kernel refused */
} lispd_nfq_stats;

typedef struct lispd_nfq {
    struct mnl_socket *nl[2]; /* LISPD_NFQ_OUTBOUND, LISPD_NFQ_INBOUND */
    unsigned portid[2];
    uint16_t queue; /* the outbound queue; inbound is queue + 1 */
    char inside[IF_NAMESIZE], outside[IF_NAMESIZE];
    int rules;   /* LISPD_NFQ_RULES_* */
    uint8_t *rx; /* LISPD_NFQ_BATCH receive buffers */
    uint8_t *tx; /* the verdicts of one batch */
    lispd_nfq_stats stats;
} lispd_nfq;

/* Callback of lispd_nfq_ready: n packets of direction dir (LISPD_NFQ_OUTBOUND/INBOUND),
 * each starting at its IPv4 header, writable in place; fill actions[i]
 * (LISPD_NFQ_ACCEPT/ACCEPT_REWRITTEN/DROP). */
typedef void (*lispd_nfq_batch_fn)(void *user, int dir, uint8_t *const *packets, const size_t *lens,
                                   size_t n, int *actions);

/* Mark q closed (before any open, so a close is always safe). */
void lispd_nfq_init(lispd_nfq *q);
/* Bind queues `queue` and `queue + 1` and install the rules for the two interfaces.
 * 0, or -1 with the reason in err (nothing left open or installed). */
int lispd_nfq_open(lispd_nfq *q, const char *inside, const char *outside, uint16_t queue, char *err,
                   size_t errlen);
/* Remove the rules, then unbind and close. Safe on a closed q. */
void lispd_nfq_close(lispd_nfq *q);
/* The socket of queue index dir, for the event loop; -1 when closed. */
int lispd_nfq_fd(const lispd_nfq *q, int dir);
/* The queue of index dir is readable: receive and answer until it is empty (or a bounded
 * number of batches, so the other queue and the timers get their turn). */
void lispd_nfq_ready(lispd_nfq *q, int dir, lispd_nfq_batch_fn fn, void *user);

/* lispd_nfq_rules.c: install the rules (nft, else iptables-restore), or remove them.
 * install returns LISPD_NFQ_RULES_NFT or _IPTABLES, or -1 with both tools' complaints in
 * err. remove takes what install returned. */
int lispd_nfq_rules_install(const char *inside, const char *outside, uint16_t queue, char *err,
                            size_t errlen);
void lispd_nfq_rules_remove(int rules, uint16_t queue);

#endif /* LISPD_NFQ_H */
