/*
 * lisp_query_request.c - `lisp-query request`: an ECM'd Map-Request for one EID, as an ITR
 * (or lig) sends it, and the Map-Reply printed.
 *
 * The ECM goes from our ephemeral port to the Map-Resolver. Its inner IP header runs from
 * our address to the EID (the family of the EID; when ours is not of that family, the
 * unspecified address), its inner UDP header from the same ephemeral port to 4342, and the
 * Map-Request's one ITR-RLOC is our address: real Map-Resolvers, Map-Servers and ETRs
 * answer at the ITR-RLOC and the inner source port, so the reply reaches this socket.
 */
#include <stdio.h>
#include <string.h>

#include "lisp_query.h"

/* The EID of message i: the i-th address of --eid-range when flooding over one. */
static lisp_eid request_eid(const lq_opts *o, uint64_t i)
{
    lisp_eid eid = o->has_eid_range ? lq_eid_range_at(&o->eid_range, i) : o->eid;
    eid.iid = o->iid;
    return eid;
}

static int build_request(lq_session *s, uint64_t i, uint64_t nonce, size_t *len)
{
    const lq_opts *o = s->o;
    const lisp_endpoint *local = &s->sock.local;
    lisp_eid eid = request_eid(o, i);
    lisp_map_request *q;
    lisp_ecm *e;
    size_t inner_len;
    int rc;

    lisp_msg_reset(&s->out, LISP_MAP_REQUEST);
    q = &s->out.u.mreq;
    q->nonce = nonce;
    q->itr_rloc_count = 1;
    q->itr_rlocs[0] = lisp_addr_plain(lisp_afi_ip(local->afi, local->addr));
    q->record_count = 1;
    q->records[0] = lisp_mapcache_prefix_to_wire(&eid, o->has_iid);
    rc = lisp_msg_encode(&s->out, s->inner, sizeof s->inner, &inner_len);
    if (rc < 0)
        return rc;

    lisp_msg_reset(&s->out, LISP_ECM);
    e = &s->out.u.ecm;
    e->inner.afi = eid.afi;
    if (local->afi == eid.afi)
        memcpy(e->inner.src, local->addr, 16);
    memcpy(e->inner.dst, eid.addr, 16);
    e->inner.sport = local->port;
    e->inner.dport = LISP_CONTROL_PORT;
    e->inner.ttl = 64;
    e->payload = s->inner;
    e->payload_len = inner_len;
    return lisp_msg_encode(&s->out, s->tx, sizeof s->tx, len);
}

static int match_reply(lq_session *s, size_t len, uint64_t *nonce)
{
    if (lisp_msg_peek_type(s->rx, len) != LISP_MAP_REPLY ||
        lisp_msg_decode(&s->msg, s->rx, len) != LISP_OK)
        return 0;
    *nonce = s->msg.u.mrep.nonce;
    return 1;
}

static void print_reply(const lq_session *s, const char *eid, const lisp_endpoint *from,
                        lisp_time_t rtt)
{
    const lisp_map_reply *r = &s->msg.u.mrep;
    char server[LISP_ADDR_STR_MAX + 8], peer[LISP_ADDR_STR_MAX + 8];

    lq_endpoint_str(&s->o->server, server, sizeof server);
    lq_endpoint_str(from, peer, sizeof peer);
    if (s->o->json) {
        printf("{\"command\": \"request\", \"eid\": ");
        lq_json_str(eid);
        printf(", \"map_resolver\": ");
        lq_json_str(server);
        printf(", \"reply\": true, \"from\": ");
        lq_json_str(peer);
        printf(", \"nonce\": \"0x%016llx\", \"rtt_ms\": %.3f, \"probe\": %s, ",
               (unsigned long long)r->nonce, lq_ms(rtt),
               (r->flags & LISP_MREP_F_P) ? "true" : "false");
        lq_print_records(r, true);
        printf("}\n");
        return;
    }
    printf("Received Map-Reply from %s with rtt %.3f ms (nonce 0x%016llx)\n\n", peer, lq_ms(rtt),
           (unsigned long long)r->nonce);
    printf("Mapping entry for EID '%s':\n", eid);
    lq_print_records(r, false);
}

int lq_cmd_request(const lq_opts *o)
{
    static lq_session s;
    char eid[LISP_ADDR_STR_MAX + 8], server[LISP_ADDR_STR_MAX + 8];
    lisp_eid first = request_eid(o, 0);
    lisp_endpoint from;
    lisp_time_t rtt = 0;
    unsigned failures;
    int rc;

    if ((rc = lq_session_open(&s, o, o->flood ? 8 << 20 : 0)) != LQ_EXIT_OK)
        return rc;
    if (o->flood) {
        rc = lq_flood(&s, "Map-Requests", "Map-Replies", build_request, match_reply);
        lq_session_close(&s);
        return rc;
    }
    lq_eid_str(&first, eid, sizeof eid);
    if (!o->json)
        printf("Send Map-Request to %s for %s ...\n",
               lq_endpoint_str(&o->server, server, sizeof server), eid);
    rc = lq_exchange(&s, build_request, match_reply, &rtt, &from, &failures);
    if (rc == 1)
        print_reply(&s, eid, &from, rtt);
    lq_session_close(&s);
    if (rc < 0)
        return LQ_EXIT_SYSTEM;
    if (rc == 0) {
        if (o->json) {
            printf("{\"command\": \"request\", \"eid\": ");
            lq_json_str(eid);
            printf(", \"map_resolver\": ");
            lq_json_str(lq_endpoint_str(&o->server, server, sizeof server));
            printf(", \"reply\": false, \"attempts\": %u}\n", o->count);
        } else {
            printf("No Map-Reply after %u attempt%s\n", o->count, o->count == 1 ? "" : "s");
        }
        return LQ_EXIT_NO_REPLY;
    }
    return LQ_EXIT_OK;
}
