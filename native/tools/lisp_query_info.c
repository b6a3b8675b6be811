/*
 * lisp_query_info.c - `lisp-query info`: an Info-Request (NAT traversal,
 * draft-ermagan-lisp-nat-traversal; the lispers.net form with a hostname) to a Map-Server or
 * an RTR, and the Info-Reply's NAT-Traversal LCAF printed: the global (translated) ETR
 * address and port as the server saw us, the Map-Server's port, the private ETR address
 * and the RTRs.
 *
 * With -k the Info-Request is signed (key-id 1 by default, interoperable lengths) and an
 * Info-Reply that carries authentication data must verify with the key; lispers.net sends
 * and answers Info messages without authentication, which is accepted and reported.
 */
#include <stdio.h>
#include <string.h>

#include "lisp_query.h"

static int build_info(lq_session *s, uint64_t i, uint64_t nonce, size_t *len)
{
    const lq_opts *o = s->o;
    lisp_info *in;

    (void)i;
    lisp_msg_reset(&s->out, LISP_INFO);
    in = &s->out.u.info;
    in->nonce = nonce;
    in->key_id = o->key ? o->key_id : LISP_KEY_ID_NONE;
    in->auth_len = lisp_auth_default_len(in->key_id);
    in->ttl = o->ttl;
    if (o->n_eids) { /* else AFI 0: no EID-prefix */
        lisp_eid eid = o->eids[0];
        eid.iid = o->iid;
        in->eid = lisp_mapcache_prefix_to_wire(&eid, o->has_iid);
    }
    if (o->hostname) {
        in->hostname.ptr = (const uint8_t *)o->hostname;
        in->hostname.len = (uint16_t)strlen(o->hostname);
    }
    int rc = lisp_msg_encode(&s->out, s->tx, sizeof s->tx, len);

    if (rc < 0)
        return rc;
    return o->key ? lisp_auth_sign(s->tx, *len, o->key, o->key_len) : LISP_OK;
}

static int match_info_reply(lq_session *s, size_t len, uint64_t *nonce)
{
    const lq_opts *o = s->o;
    const lisp_info *in = &s->msg.u.info;

    if (lisp_msg_peek_type(s->rx, len) != LISP_INFO ||
        lisp_msg_decode(&s->msg, s->rx, len) != LISP_OK || !(in->flags & LISP_INFO_F_R))
        return 0;
    *nonce = in->nonce;
    if (o->key && in->key_id != LISP_KEY_ID_NONE &&
        lisp_auth_verify(s->rx, len, o->key, o->key_len, false) != LISP_OK)
        return -1;
    return 1;
}

static const char *afi_str(const lisp_afi_addr *a, char *buf, size_t cap)
{
    return a->afi == LISP_AFI_NONE ? "none" : lisp_afi_to_str(a, buf, cap);
}

static void print_text(const lisp_info *in, const char *peer, lisp_time_t rtt, const char *auth)
{
    const lisp_natt *n = &in->natt;
    char a[LISP_ADDR_STR_MAX], eid[LISP_ADDR_STR_MAX + 8];
    unsigned k;

    printf("Received Info-Reply from %s with rtt %.3f ms (nonce 0x%016llx, %s)\n\n", peer,
           lq_ms(rtt), (unsigned long long)in->nonce, auth);
    printf("  Global ETR RLOC:   %s\n", afi_str(&n->global_etr, a, sizeof a));
    printf("  Global ETR port:   %u\n", n->etr_port);
    printf("  MS port:           %u\n", n->ms_port);
    printf("  MS RLOC:           %s\n", afi_str(&n->ms, a, sizeof a));
    printf("  Private ETR RLOC:  %s\n", afi_str(&n->private_etr, a, sizeof a));
    printf("  RTRs:             ");
    for (k = 0; k < n->rtr_count; k++)
        printf(" %s", afi_str(&n->rtrs[k], a, sizeof a));
    printf("%s\n", n->rtr_count ? "" : " none");
    printf("  EID-prefix:        %s, TTL %u minutes\n", lq_prefix_str(&in->eid, eid, sizeof eid),
           in->ttl);
}

static void print_json(const lisp_info *in, const char *peer, lisp_time_t rtt, const char *auth)
{
    const lisp_natt *n = &in->natt;
    char a[LISP_ADDR_STR_MAX], eid[LISP_ADDR_STR_MAX + 8];
    unsigned k;

    printf("{\"command\": \"info\", \"reply\": true, \"from\": ");
    lq_json_str(peer);
    printf(", \"nonce\": \"0x%016llx\", \"rtt_ms\": %.3f, \"auth\": ",
           (unsigned long long)in->nonce, lq_ms(rtt));
    lq_json_str(auth);
    printf(", \"global_etr_rloc\": ");
    lq_json_str(afi_str(&n->global_etr, a, sizeof a));
    printf(", \"global_etr_port\": %u, \"ms_port\": %u, \"ms_rloc\": ", n->etr_port, n->ms_port);
    lq_json_str(afi_str(&n->ms, a, sizeof a));
    printf(", \"private_etr_rloc\": ");
    lq_json_str(afi_str(&n->private_etr, a, sizeof a));
    printf(", \"rtrs\": [");
    for (k = 0; k < n->rtr_count; k++) {
        printf(k ? ", " : "");
        lq_json_str(afi_str(&n->rtrs[k], a, sizeof a));
    }
    printf("], \"eid_prefix\": ");
    lq_json_str(lq_prefix_str(&in->eid, eid, sizeof eid));
    printf(", \"ttl\": %u}\n", in->ttl);
}

int lq_cmd_info(const lq_opts *o)
{
    static lq_session s;
    char server[LISP_ADDR_STR_MAX + 8], peer[LISP_ADDR_STR_MAX + 8], auth[64];
    lisp_endpoint from;
    lisp_time_t rtt = 0;
    unsigned failures = 0;
    int rc;

    if ((rc = lq_session_open(&s, o, 0)) != LQ_EXIT_OK)
        return rc;
    lq_endpoint_str(&o->server, server, sizeof server);
    if (!o->json)
        printf("Send Info-Request to %s ...\n", server);
    rc = lq_exchange(&s, build_info, match_info_reply, &rtt, &from, &failures);
    lq_session_close(&s);
    if (rc < 0)
        return LQ_EXIT_SYSTEM;
    if (rc == 0) {
        if (o->json)
            printf("{\"command\": \"info\", \"reply\": false, \"auth_failures\": %u}\n", failures);
        else
            printf("No %sInfo-Reply after %u attempt%s\n", failures ? "verified " : "", o->count,
                   o->count == 1 ? "" : "s");
        return LQ_EXIT_NO_REPLY;
    }
    if (s.msg.u.info.key_id == LISP_KEY_ID_NONE)
        snprintf(auth, sizeof auth, "no authentication");
    else if (o->key)
        snprintf(auth, sizeof auth, "key-id %u verified", s.msg.u.info.key_id);
    else
        snprintf(auth, sizeof auth, "key-id %u not verified (no -k)", s.msg.u.info.key_id);
    lq_endpoint_str(&from, peer, sizeof peer);
    if (o->json)
        print_json(&s.msg.u.info, peer, rtt, auth);
    else
        print_text(&s.msg.u.info, peer, rtt, auth);
    return LQ_EXIT_OK;
}
