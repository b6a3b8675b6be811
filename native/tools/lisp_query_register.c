/*
 * lisp_query_register.c - `lisp-query register`: a Map-Register signed as an xTR signs it,
 * and with --want-notify the Map-Notify awaited and verified.
 *
 * The authentication field has the interoperable length of the key-id
 * (lisp_auth_default_len: 20 bytes for HMAC-SHA-1-96, 32 for HMAC-SHA-256-128) and the HMAC
 * covers the whole message with that field zeroed (RFC 9301 section 5.6). Every attempt and
 * every flood message has a fresh nonce: a Map-Server refuses a nonce it has seen (replay).
 * A Map-Notify counts only when its nonce is ours, its key-id ours and its HMAC verifies
 * with the key.
 */
#include <stdio.h>
#include <string.h>

#include "lisp_query.h"

static int build_register(lq_session *s, uint64_t i, uint64_t nonce, size_t *len)
{
    static lisp_record records[LQ_MAX_EIDS];
    const lq_opts *o = s->o;
    lisp_map_register *g;
    unsigned k;

    lisp_msg_reset(&s->out, LISP_MAP_REGISTER);
    g = &s->out.u.mreg;
    g->flags = (o->proxy_reply ? LISP_MREG_F_P : 0) | (o->want_notify ? LISP_MREG_F_M : 0);
    g->nonce = nonce;
    g->key_id = o->key_id;
    g->auth_len = lisp_auth_default_len(o->key_id);
    g->record_count = (uint8_t)o->n_eids;
    g->records = records;
    for (k = 0; k < o->n_eids; k++) {
        lisp_eid eid = o->has_eid_range ? lq_eid_range_at(&o->eid_range, i) : o->eids[k];
        eid.iid = o->iid;
        memset(&records[k], 0, sizeof records[k]);
        records[k].ttl = o->ttl;
        records[k].authoritative = true;
        records[k].eid = lisp_mapcache_prefix_to_wire(&eid, o->has_iid);
        records[k].loc_count = (uint8_t)o->n_rlocs;
        records[k].locators = (lisp_locator *)o->rlocs;
    }
    int rc = lisp_msg_encode(&s->out, s->tx, sizeof s->tx, len);

    if (rc < 0)
        return rc;
    return lisp_auth_sign(s->tx, *len, o->key, o->key_len);
}

static int match_notify(lq_session *s, size_t len, uint64_t *nonce)
{
    const lq_opts *o = s->o;

    if (lisp_msg_peek_type(s->rx, len) != LISP_MAP_NOTIFY ||
        lisp_msg_decode(&s->msg, s->rx, len) != LISP_OK)
        return 0;
    *nonce = s->msg.u.mreg.nonce;
    if (s->msg.u.mreg.key_id != o->key_id ||
        lisp_auth_verify(s->rx, len, o->key, o->key_len, false) != LISP_OK)
        return -1;
    return 1;
}

static const char *key_id_name(uint16_t key_id)
{
    return key_id == LISP_KEY_ID_HMAC_SHA256_128 ? "HMAC-SHA-256-128" : "HMAC-SHA-1-96";
}

static void print_result(const lq_session *s, int rc, const lisp_endpoint *from, lisp_time_t rtt,
                         unsigned failures)
{
    const lq_opts *o = s->o;
    const lisp_map_register *n = &s->msg.u.mreg;
    char server[LISP_ADDR_STR_MAX + 8], peer[LISP_ADDR_STR_MAX + 8];

    lq_endpoint_str(&o->server, server, sizeof server);
    if (o->json) {
        printf("{\"command\": \"register\", \"map_server\": ");
        lq_json_str(server);
        printf(", \"key_id\": %u, \"auth_len\": %u, \"want_notify\": %s", o->key_id,
               lisp_auth_default_len(o->key_id), o->want_notify ? "true" : "false");
        if (rc == 1) {
            printf(", \"notify\": true, \"verified\": true, \"from\": ");
            lq_json_str(lq_endpoint_str(from, peer, sizeof peer));
            printf(", \"nonce\": \"0x%016llx\", \"rtt_ms\": %.3f, \"notify_auth_len\": %u, "
                   "\"records\": %u",
                   (unsigned long long)n->nonce, lq_ms(rtt), n->auth_len, n->record_count);
        } else if (o->want_notify) {
            printf(", \"notify\": false");
        }
        printf(", \"auth_failures\": %u}\n", failures);
        return;
    }
    if (failures)
        printf("%u Map-Notify%s with our nonce failed verification (wrong key or key-id)\n",
               failures, failures == 1 ? "" : "s");
    if (rc == 1)
        printf("Map-Notify from %s verified (key-id %u, %s, %u-byte authentication data, "
               "%u record%s) with rtt %.3f ms (nonce 0x%016llx)\n",
               lq_endpoint_str(from, peer, sizeof peer), n->key_id, key_id_name(n->key_id),
               n->auth_len, n->record_count, n->record_count == 1 ? "" : "s", lq_ms(rtt),
               (unsigned long long)n->nonce);
    else if (o->want_notify)
        printf("No verified Map-Notify after %u attempt%s\n", o->count, o->count == 1 ? "" : "s");
}

/* Without --want-notify nothing comes back: one Map-Register is sent and that is all. */
static int match_nothing(lq_session *s, size_t len, uint64_t *nonce)
{
    (void)s;
    (void)len;
    (void)nonce;
    return 0;
}

int lq_cmd_register(const lq_opts *o)
{
    static lq_session s;
    lq_opts once;
    char server[LISP_ADDR_STR_MAX + 8];
    lisp_endpoint from;
    lisp_time_t rtt = 0;
    unsigned failures = 0;
    int rc;

    if ((rc = lq_session_open(&s, o, o->flood ? 8 << 20 : 0)) != LQ_EXIT_OK)
        return rc;
    if (o->flood) {
        rc = lq_flood(&s, "Map-Registers", "Map-Notifies", build_register,
                      o->want_notify ? match_notify : NULL);
        lq_session_close(&s);
        return rc;
    }
    if (!o->json)
        printf("Send Map-Register to %s (key-id %u, %s, %u-byte authentication data)%s ...\n",
               lq_endpoint_str(&o->server, server, sizeof server), o->key_id,
               key_id_name(o->key_id), lisp_auth_default_len(o->key_id),
               o->want_notify ? ", want Map-Notify" : "");
    if (o->want_notify) {
        rc = lq_exchange(&s, build_register, match_notify, &rtt, &from, &failures);
    } else { /* one message, and no waiting */
        once = *o;
        once.count = 1;
        once.timeout = 0;
        s.o = &once;
        rc = lq_exchange(&s, build_register, match_nothing, &rtt, &from, &failures);
        s.o = o;
    }
    lq_session_close(&s);
    if (rc < 0)
        return LQ_EXIT_SYSTEM;
    print_result(&s, rc, &from, rtt, failures);
    return rc == 1 || !o->want_notify ? LQ_EXIT_OK : LQ_EXIT_NO_REPLY;
}
