/* lisp_query_session.c - one run's socket and pcap (lisp_query.h). */
#include <stdio.h>
#include <string.h>

#include "lisp_query.h"

int lq_session_open(lq_session *s, const lq_opts *o, int rcvbuf)
{
    s->o = o;
    s->pcap = NULL;
    if (lq_sock_open(&s->sock, &o->server, &o->source, rcvbuf) < 0)
        return LQ_EXIT_SYSTEM;
    if (o->pcap_path && !(s->pcap = lq_pcap_open(o->pcap_path))) {
        lq_sock_close(&s->sock);
        return LQ_EXIT_SYSTEM;
    }
    return LQ_EXIT_OK;
}

void lq_session_close(lq_session *s)
{
    lq_pcap_close(s->pcap);
    s->pcap = NULL;
    lq_sock_close(&s->sock);
}

int lq_session_send(lq_session *s, size_t len)
{
    int rc = lq_sock_send(&s->sock, &s->o->server, s->tx, len);

    if (rc == 0)
        lq_pcap_write(s->pcap, &s->sock.local, &s->o->server, s->tx, len);
    return rc;
}

int lq_session_recv(lq_session *s, lisp_time_t deadline, lisp_endpoint *from, size_t *len)
{
    int rc = lq_sock_recv(&s->sock, deadline, from, s->rx, sizeof s->rx, len);

    if (rc == 1)
        lq_pcap_write(s->pcap, from, &s->sock.local, s->rx, *len);
    return rc;
}

int lq_exchange(lq_session *s, lq_build_fn *build, lq_match_fn *match, lisp_time_t *rtt,
                lisp_endpoint *from, unsigned *auth_failures)
{
    uint64_t nonces[1000];
    lisp_time_t sent[1000];
    unsigned attempt, k;

    *auth_failures = 0;
    for (attempt = 0; attempt < s->o->count && attempt < 1000; attempt++) {
        lisp_time_t deadline;
        size_t len;
        int rc;

        nonces[attempt] = lq_random64();
        rc = build(s, 0, nonces[attempt], &len);
        if (rc < 0) {
            fprintf(stderr, "lisp-query: cannot encode the message: %s\n", lisp_strerror(rc));
            return -1;
        }
        if (attempt > 0 && !s->o->json)
            printf("No reply within %.1f s, attempt %u of %u ...\n",
                   (double)s->o->timeout / (double)LISP_NS_PER_SEC, attempt + 1, s->o->count);
        sent[attempt] = lq_now();
        rc = lq_session_send(s, len);
        if (rc < 0) {
            fprintf(stderr, "lisp-query: send: %s\n", strerror(-rc));
            return -1;
        }
        deadline = sent[attempt] + s->o->timeout;
        while ((rc = lq_session_recv(s, deadline, from, &len)) == 1) {
            lisp_time_t now = lq_now();
            uint64_t nonce = 0;
            int m = match(s, len, &nonce);
            for (k = 0; m != 0 && k <= attempt; k++) {
                if (nonces[k] != nonce)
                    continue;
                if (m < 0) {
                    (*auth_failures)++;
                    break;
                }
                *rtt = now - sent[k];
                return 1;
            }
        }
        if (rc < 0) {
            fprintf(stderr, "lisp-query: receive: %s\n", strerror(-rc));
            return -1;
        }
    }
    return 0;
}
