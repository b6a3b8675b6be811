/* lispd_nfq.c - the NAT daemon's two NFQUEUE queues (lispd_nfq.h). */
#define _GNU_SOURCE /* recvmmsg */
#include "lispd_nfq.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "lispd_log.h"

#define COPY_RANGE 0xFFFF              /* whole IPv4 packets */
#define RX_SLOT (COPY_RANGE + 1024)    /* one packet message: headers, attributes, payload */
#define TX_BYTES (256u * 1024u)        /* verdicts of one batch; flushed when full */
#define VERDICT_OVERHEAD 128           /* headers and attributes of one verdict message */
#define QUEUE_MAXLEN 4096              /* packets waiting in the kernel per queue */
#define RCVBUF_BYTES (8 * 1024 * 1024) /* so a burst waits in the socket, not dropped */
#define BATCHES_PER_READY 16           /* then let the loop serve the rest */

void lispd_nfq_init(lispd_nfq *q)
{
    memset(q, 0, sizeof *q);
}

/* One configuration message to the queue, acknowledged (so EBUSY, EPERM are seen). */
static int queue_config(struct mnl_socket *nl, unsigned portid, uint16_t num, int what)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct nlmsghdr *nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, num);
    const unsigned seq = (unsigned)what + 1;
    ssize_t n;

    nlh->nlmsg_flags |= NLM_F_ACK;
    nlh->nlmsg_seq = seq;
    if (what == NFQNL_CFG_CMD_BIND || what == NFQNL_CFG_CMD_UNBIND) {
        nfq_nlmsg_cfg_put_cmd(nlh, AF_INET, (uint8_t)what);
    } else { /* parameters */
        nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET, COPY_RANGE);
        nfq_nlmsg_cfg_put_qmaxlen(nlh, QUEUE_MAXLEN);
    }
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
        return -1;
    n = mnl_socket_recvfrom(nl, buf, sizeof buf);
    if (n < 0)
        return -1;
    return mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL) < 0 ? -1 : 0;
}

#define CFG_PARAMS 100 /* queue_config: not a command, the copy mode and queue length */

static struct mnl_socket *queue_open(uint16_t num, unsigned *portid, char *err, size_t errlen)
{
    struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
    const int rcvbuf = RCVBUF_BYTES;

    if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        snprintf(err, errlen, "netfilter netlink socket: %s", strerror(errno));
        if (nl)
            mnl_socket_close(nl);
        return NULL;
    }
    *portid = mnl_socket_get_portid(nl);
    if (queue_config(nl, *portid, num, NFQNL_CFG_CMD_BIND) != 0 ||
        queue_config(nl, *portid, num, CFG_PARAMS) != 0) {
        snprintf(err, errlen, "cannot bind NFQUEUE %u: %s%s", num, strerror(errno),
                 errno == EBUSY ? " (another program holds it: set queue in the file)" : "");
        mnl_socket_close(nl);
        return NULL;
    }
    /* a bigger buffer than the default absorbs bursts; without it, only more drops */
    if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
        lispd_warn("NFQUEUE %u: receive buffer stays at its default: %s", num, strerror(errno));
    return nl;
}

int lispd_nfq_open(lispd_nfq *q, const char *inside, const char *outside, uint16_t queue, char *err,
                   size_t errlen)
{
    int dir;

    lispd_nfq_init(q);
    q->queue = queue;
    snprintf(q->inside, sizeof q->inside, "%s", inside);
    snprintf(q->outside, sizeof q->outside, "%s", outside);
    q->rx = malloc((size_t)LISPD_NFQ_BATCH * RX_SLOT);
    q->tx = malloc(TX_BYTES);
    if (!q->rx || !q->tx) {
        snprintf(err, errlen, "out of memory");
        lispd_nfq_close(q);
        return -1;
    }
    /* the queues are bound before any rule sends packets to them */
    for (dir = 0; dir < 2; dir++) {
        q->nl[dir] = queue_open((uint16_t)(queue + dir), &q->portid[dir], err, errlen);
        if (!q->nl[dir]) {
            lispd_nfq_close(q);
            return -1;
        }
    }
    q->rules = lispd_nfq_rules_install(inside, outside, queue, err, errlen);
    if (q->rules < 0) {
        q->rules = LISPD_NFQ_RULES_NONE;
        lispd_nfq_close(q);
        return -1;
    }
    lispd_info("NAT: %s -> queue %u, %s -> queue %u (%s rules)", inside, queue, outside, queue + 1,
               q->rules == LISPD_NFQ_RULES_NFT ? "nftables" : "iptables");
    return 0;
}

void lispd_nfq_close(lispd_nfq *q)
{
    int dir;

    /* rules first: without a reader, the kernel drops what the rules still queue */
    if (q->rules != LISPD_NFQ_RULES_NONE)
        lispd_nfq_rules_remove(q->rules, q->queue);
    q->rules = LISPD_NFQ_RULES_NONE;
    for (dir = 0; dir < 2; dir++)
        if (q->nl[dir]) {
            queue_config(q->nl[dir], q->portid[dir], (uint16_t)(q->queue + dir),
                         NFQNL_CFG_CMD_UNBIND);
            mnl_socket_close(q->nl[dir]);
            q->nl[dir] = NULL;
        }
    free(q->rx);
    free(q->tx);
    q->rx = q->tx = NULL;
}

int lispd_nfq_fd(const lispd_nfq *q, int dir)
{
    return q->nl[dir] ? mnl_socket_get_fd(q->nl[dir]) : -1;
}

/* ---- one batch ---- */

typedef struct nfq_batch {
    size_t n;
    uint32_t id[LISPD_NFQ_BATCH];
    uint8_t *pkt[LISPD_NFQ_BATCH];
    size_t len[LISPD_NFQ_BATCH];
    int action[LISPD_NFQ_BATCH];
} nfq_batch;

/* One received datagram: its packet message into the batch (or its error counted). */
static void parse_datagram(lispd_nfq *q, uint8_t *buf, size_t len, nfq_batch *b)
{
    struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
    int left = (int)len;

    for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
        struct nlattr *attr[NFQA_MAX + 1];
        const struct nfqnl_msg_packet_hdr *ph;
        uint16_t payload_len;

        if (nlh->nlmsg_type == NLMSG_ERROR) {
            const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
            if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof *e) && e->error)
                q->stats.nl_errors++;
            continue;
        }
        if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_QUEUE ||
            NFNL_MSG_TYPE(nlh->nlmsg_type) != NFQNL_MSG_PACKET)
            continue;
        memset(attr, 0, sizeof attr);
        if (nfq_nlmsg_parse(nlh, attr) < 0 || !attr[NFQA_PACKET_HDR] || !attr[NFQA_PAYLOAD] ||
            mnl_attr_get_payload_len(attr[NFQA_PACKET_HDR]) < sizeof *ph) {
            q->stats.nl_errors++;
            continue;
        }
        ph = mnl_attr_get_payload(attr[NFQA_PACKET_HDR]);
        payload_len = mnl_attr_get_payload_len(attr[NFQA_PAYLOAD]);
        b->id[b->n] = ntohl(ph->packet_id);
        b->pkt[b->n] = mnl_attr_get_payload(attr[NFQA_PAYLOAD]);
        b->len[b->n] = payload_len;
        b->action[b->n] = LISPD_NFQ_DROP;
        /* a packet cut at the copy range must not go on cut: drop it */
        if (attr[NFQA_CAP_LEN] && ntohl(mnl_attr_get_u32(attr[NFQA_CAP_LEN])) > payload_len) {
            q->stats.truncated++;
            b->len[b->n] = 0;
        }
        b->n++;
        q->stats.packets++;
        if (b->n == LISPD_NFQ_BATCH)
            return;
    }
}

static void flush(lispd_nfq *q, int dir, size_t *used)
{
    if (*used && mnl_socket_sendto(q->nl[dir], q->tx, *used) < 0)
        q->stats.nl_errors++;
    *used = 0;
}

static void send_verdicts(lispd_nfq *q, int dir, const nfq_batch *b)
{
    const uint16_t num = (uint16_t)(q->queue + dir);
    size_t used = 0, i;

    for (i = 0; i < b->n; i++) {
        const bool rewritten = b->action[i] == LISPD_NFQ_ACCEPT_REWRITTEN;
        const size_t need = VERDICT_OVERHEAD + (rewritten ? b->len[i] : 0);
        struct nlmsghdr *nlh;

        if (used + need > TX_BYTES)
            flush(q, dir, &used);
        nlh = nfq_nlmsg_put((char *)q->tx + used, NFQNL_MSG_VERDICT, num);
        nfq_nlmsg_verdict_put(nlh, (int)b->id[i],
                              b->action[i] == LISPD_NFQ_DROP ? NF_DROP : NF_ACCEPT);
        if (rewritten)
            nfq_nlmsg_verdict_put_pkt(nlh, b->pkt[i], (uint32_t)b->len[i]);
        used += NLMSG_ALIGN(nlh->nlmsg_len);
    }
    flush(q, dir, &used);
}

/* Receive one batch without waiting; the number of datagrams, 0 when the queue is empty. */
static size_t receive(lispd_nfq *q, int dir, nfq_batch *b)
{
    struct mmsghdr msgs[LISPD_NFQ_BATCH];
    struct iovec iov[LISPD_NFQ_BATCH];
    int n, i;

    memset(msgs, 0, sizeof msgs);
    for (i = 0; i < LISPD_NFQ_BATCH; i++) {
        iov[i].iov_base = q->rx + (size_t)i * RX_SLOT;
        iov[i].iov_len = RX_SLOT;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    n = recvmmsg(mnl_socket_get_fd(q->nl[dir]), msgs, LISPD_NFQ_BATCH, MSG_DONTWAIT, NULL);
    if (n < 0) {
        if (errno == ENOBUFS)
            q->stats.overruns++; /* and read on: the socket still holds packets */
        return errno == ENOBUFS ? 1 : 0;
    }
    b->n = 0;
    for (i = 0; i < n && b->n < LISPD_NFQ_BATCH; i++)
        if (!(msgs[i].msg_hdr.msg_flags & MSG_TRUNC))
            parse_datagram(q, iov[i].iov_base, msgs[i].msg_len, b);
    return (size_t)n;
}

/* Hand the batch's packets to the callback; truncated ones (len 0) stay DROP. */
static void decide(int dir, nfq_batch *b, lispd_nfq_batch_fn fn, void *user)
{
    uint8_t *pkt[LISPD_NFQ_BATCH];
    size_t len[LISPD_NFQ_BATCH], map[LISPD_NFQ_BATCH], k = 0, i;
    int action[LISPD_NFQ_BATCH];

    for (i = 0; i < b->n; i++)
        if (b->len[i]) {
            pkt[k] = b->pkt[i];
            len[k] = b->len[i];
            map[k++] = i;
        }
    if (!k)
        return;
    fn(user, dir, pkt, len, k, action);
    for (i = 0; i < k; i++)
        b->action[map[i]] = action[i];
}

void lispd_nfq_ready(lispd_nfq *q, int dir, lispd_nfq_batch_fn fn, void *user)
{
    nfq_batch b;
    int round;

    for (round = 0; round < BATCHES_PER_READY && q->nl[dir]; round++) {
        size_t got;
        b.n = 0;
        got = receive(q, dir, &b);
        if (b.n) {
            q->stats.batches++;
            decide(dir, &b, fn, user);
            send_verdicts(q, dir, &b);
        }
        /* fewer than a batch: the socket was empty (epoll wakes us for more), so no
         * further recvmmsg just to hear EAGAIN */
        if (got < LISPD_NFQ_BATCH)
            return;
    }
}
