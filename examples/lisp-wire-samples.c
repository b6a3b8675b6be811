/*
 * lisp-wire-samples.c - one packet of every LISP message kind, written to a pcap file.
 *
 * This example builds each message with the public codec API (lisp.h) only:
 * fill a lisp_msg, lisp_msg_encode it right behind the space for the outer
 * headers, sign it with lisp_auth_sign where the message carries
 * authentication data, and let lisp_ipudp_encode put a complete IPv4 or IPv6 +
 * UDP header (with checksums) in front. libpcap writes the datagrams as
 * raw-IP frames (DLT_RAW), so Wireshark or tshark can show them:
 *
 *   lisp-wire-samples --out samples.pcap
 *   wireshark -X lua_script:wireshark/lisp-ports.lua -o udp.try_heuristic_first:TRUE samples.pcap
 *
 * Every kind is written twice: once between IPv4 RLOCs and once between IPv6
 * RLOCs. With --manifest FILE the program also writes, for every frame, the
 * values a dissector must show (tshark field names, tab-separated), derived
 * from the very structures it encoded. test/wireshark/check_wire_samples.py
 * compares them with what tshark decodes, which makes Wireshark an
 * independent oracle for our bytes.
 *
 * Manifest format (one row per value, "#" starts a comment line):
 *   <frame> TAB <field> TAB <value>
 * A field that occurs several times in a frame has several rows, in wire
 * order. Rows whose field starts with "@" describe the sample rather than a
 * tshark field: @kind (a human-readable name), @lisp_len (bytes of the
 * outer UDP payload, i.e. the encoded LISP message or data packet),
 * @hostname (the name in a hostname-form Info-Request), @ecm_flags (names of
 * the ECM bits set) and @body_as_frame (the Map-Notify whose body a
 * Map-Notify-Ack repeats).
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* struct timeval and the BSD integer types used by pcap.h */
#endif

#include <arpa/inet.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp.h"

#define DEFAULT_OUT "lisp-wire-samples.pcap"
#define EPHEMERAL_PORT 61001     /* an xTR's source port for requests and registrations */
/*
 * Ports that the NAT in front of the xTR picked for its 4342 and 4341. A NAT may
 * pick any port, also one that is lower than 4342 and that Wireshark associates
 * with another protocol (here OpenVPN and GTP-U): Wireshark's UDP dissector tries
 * the lower port first, which is why wireshark/lisp-ports.lua exists.
 */
#define NAT_CONTROL_PORT 1194
#define NAT_DATA_PORT 2152
#define DATA_SPORT 52817         /* source port of encapsulated data (an RFC 9300 flow hash) */
#define FIRST_TIMESTAMP 1700000000 /* fixed timestamps keep the pcap reproducible */
#define IID 1000                 /* the instance-ID of the sample VPN */

/* Shared keys of the sample site (the Map-Server configuration would hold them). */
static const char SITE_KEY[] = "lisp-site-key";
static const char RTR_KEY[] = "ms-rtr-key";

/* ---------------------------------------------------------------------------------- */
/* Output: the pcap dumper, the optional manifest, and the frame counter.              */
/* ---------------------------------------------------------------------------------- */

typedef struct sampler {
    pcap_t *pcap;
    pcap_dumper_t *dump;
    FILE *manifest; /* NULL without --manifest */
    unsigned frame; /* number of the frame being built (tshark counts from 1) */
    uint8_t pkt[LISP_MSG_MAX + 128];
} sampler;

static void die(const char *what, int rc)
{
    fprintf(stderr, "lisp-wire-samples: %s: %s\n", what, lisp_strerror(rc));
    exit(1);
}

/* Abort on any codec error: a sample that cannot be built is a bug worth seeing. */
#define CHECK(what, expr)                                                                          \
    do {                                                                                           \
        int check_rc_ = (expr);                                                                    \
        if (check_rc_ < 0)                                                                         \
            die(what, check_rc_);                                                                  \
    } while (0)

/* One manifest row for the current frame. */
static void mf(sampler *s, const char *field, const char *fmt, ...)
{
    va_list ap;

    if (!s->manifest)
        return;
    fprintf(s->manifest, "%u\t%s\t", s->frame, field);
    va_start(ap, fmt);
    vfprintf(s->manifest, fmt, ap);
    va_end(ap);
    fputc('\n', s->manifest);
}

/* tshark prints FT_BOOLEAN fields as 1 or 0. */
static void mf_bool(sampler *s, const char *field, uint32_t flags, uint32_t bit)
{
    mf(s, field, "%d", (flags & bit) ? 1 : 0);
}

/* tshark -T json/fields prints FT_BYTES fields as lower-case hex without separators. */
static void mf_bytes(sampler *s, const char *field, const uint8_t *p, size_t len)
{
    char text[2 * LISP_AUTH_MAX + 1];
    size_t i;

    text[0] = '\0';
    for (i = 0; i < len && 2 * i + 2 < sizeof text; i++)
        snprintf(text + 2 * i, sizeof text - 2 * i, "%02x", p ? p[i] : 0); /* NULL: zeros */
    mf(s, field, "%s", text);
}

/* An IP address in tshark's notation (dotted quad, RFC 5952 IPv6), or the name. */
static const char *ip_text(const lisp_afi_addr *a, char *buf, size_t cap)
{
    if (a->afi == LISP_AFI_IPV4 || a->afi == LISP_AFI_IPV6)
        return inet_ntop(a->afi == LISP_AFI_IPV4 ? AF_INET : AF_INET6, a->ip, buf, (socklen_t)cap);
    snprintf(buf, cap, "%.*s", (int)a->name.len, a->name.ptr ? (const char *)a->name.ptr : "");
    return buf;
}

/*
 * The tshark fields that show one plain AFI address at one place in a message.
 * Wireshark names them per place, and not quite uniformly (lisp.mreq.srceid_ipv6,
 * lisp.mreq.itr_rloc_ipv4), and shows a locator as a string (lisp.loc.locator).
 */
typedef struct afi_fields {
    const char *afi, *ipv4, *ipv6, *name; /* NULL: that value is not checked */
} afi_fields;

static const afi_fields SRC_EID = {"lisp.mreq.srceid.afi", "lisp.mreq.srceid.ipv4",
                                   "lisp.mreq.srceid_ipv6", NULL};
static const afi_fields ITR_RLOC = {"lisp.mreq.itr_rloc.afi", "lisp.mreq.itr_rloc_ipv4",
                                    "lisp.mreq.itr_rloc_ipv6", NULL};
static const afi_fields REQ_PREFIX = {"lisp.mreq.record.prefix.afi", "lisp.mreq.record.prefix.ipv4",
                                      "lisp.mreq.record.prefix.ipv6", NULL};
static const afi_fields MAP_EID = {"lisp.mapping.eid.afi", "lisp.mapping.eid.ipv4",
                                   "lisp.mapping.eid.ipv6", NULL};
static const afi_fields LOCATOR = {"lisp.loc.afi", "lisp.loc.locator", "lisp.loc.locator", NULL};
static const afi_fields INFO_PREFIX = {"lisp.info.prefix.afi", "lisp.info.prefix.ipv4",
                                       "lisp.info.prefix.ipv6", NULL};
static const afi_fields IID_ADDR = {"lisp.lcaf.iid.afi", "lisp.lcaf.iid.ipv4", "lisp.lcaf.iid.ipv6",
                                    "lisp.lcaf.iid.dn"};
static const afi_fields LIST_ITEM = {"lisp.lcaf.afi_list.afi", "lisp.lcaf.afi_list.ipv4",
                                     "lisp.lcaf.afi_list.ipv6", "lisp.lcaf.afi_list.dn"};
static const afi_fields NATT_RLOC = {"lisp.lcaf.natt.rloc.afi", "lisp.lcaf.natt.rloc.ipv4",
                                     "lisp.lcaf.natt.rloc.ipv6", NULL};

static void mf_afi(sampler *s, const afi_fields *f, const lisp_afi_addr *a)
{
    char text[LISP_ADDR_STR_MAX];
    const char *value_field = a->afi == LISP_AFI_IPV4   ? f->ipv4
                              : a->afi == LISP_AFI_IPV6 ? f->ipv6
                              : a->afi == LISP_AFI_NAME ? f->name
                                                        : NULL;

    mf(s, f->afi, "%u", a->afi);
    if (value_field)
        mf(s, value_field, "%s", ip_text(a, text, sizeof text));
}

/* An address field that may be an LCAF: a plain address uses the fields of
 * its place, an LCAF the generic lisp.lcaf.* fields. */
static void mf_addr(sampler *s, const afi_fields *f, const lisp_addr *a)
{
    unsigned i;

    switch (a->lcaf) {
    case LISP_LCAF_IID:
        mf(s, f->afi, "%u", LISP_AFI_LCAF);
        mf(s, "lisp.lcaf.type", "%u", LISP_LCAF_IID);
        mf(s, "lisp.lcaf.iid", "%u", (unsigned)a->iid);
        mf_afi(s, &IID_ADDR, &a->a);
        break;
    case LISP_LCAF_AFI_LIST:
        mf(s, f->afi, "%u", LISP_AFI_LCAF);
        mf(s, "lisp.lcaf.type", "%u", LISP_LCAF_AFI_LIST);
        mf_afi(s, &LIST_ITEM, &a->a);
        for (i = 0; i < a->n_more; i++)
            mf_afi(s, &LIST_ITEM, &a->more[i]);
        break;
    default:
        mf_afi(s, f, &a->a);
        break;
    }
}

static void mf_ipudp(sampler *s, const lisp_ipudp *h, size_t payload_len)
{
    /* Only IPv4 has a header checksum; every UDP header here carries a checksum. */
    if (h->afi == LISP_AFI_IPV4)
        mf(s, "ip.checksum.status", "1");
    mf(s, "udp.srcport", "%u", h->sport);
    mf(s, "udp.dstport", "%u", h->dport);
    mf(s, "udp.length", "%zu", payload_len + 8);
    mf(s, "udp.checksum.status", "1");
}

/* ---------------------------------------------------------------------------------- */
/* Manifest rows for each message type, walking the structure in wire order.           */
/* ---------------------------------------------------------------------------------- */

static void mf_locator(sampler *s, const lisp_locator *loc)
{
    mf(s, "lisp.loc.priority", "%u", loc->priority);
    mf(s, "lisp.loc.weight", "%u", loc->weight);
    mf(s, "lisp.loc.multicast_priority", "%u", loc->mpriority);
    mf(s, "lisp.loc.multicast_weight", "%u", loc->mweight);
    mf_bool(s, "lisp.loc.flags.local", loc->flags, LISP_LOC_F_L);
    mf_bool(s, "lisp.loc.flags.probe", loc->flags, LISP_LOC_F_P);
    mf_bool(s, "lisp.loc.flags.reach", loc->flags, LISP_LOC_F_R);
    mf_addr(s, &LOCATOR, &loc->addr);
}

static void mf_record(sampler *s, const lisp_record *rec)
{
    uint8_t i;

    mf(s, "lisp.mapping.ttl", "%u", (unsigned)rec->ttl);
    mf(s, "lisp.mapping.loccnt", "%u", rec->loc_count);
    mf(s, "lisp.mapping.eid.masklen", "%u", rec->eid.mask_len);
    mf(s, "lisp.mapping.act", "%u", rec->action);
    mf(s, "lisp.mapping.auth", "%d", rec->authoritative ? 1 : 0);
    mf(s, "lisp.mapping.ver", "%u", rec->map_version);
    mf_addr(s, &MAP_EID, &rec->eid.addr);
    for (i = 0; i < rec->loc_count; i++)
        mf_locator(s, &rec->locators[i]);
}

static void mf_map_request(sampler *s, const lisp_map_request *q)
{
    unsigned i;

    mf(s, "lisp.irc", "%u", q->itr_rloc_count - 1u); /* the field holds count - 1 */
    mf(s, "lisp.records", "%u", q->record_count);
    mf(s, "lisp.nonce", "0x%016llx", (unsigned long long)q->nonce);
    mf_bool(s, "lisp.mreq.flags.auth", q->flags, LISP_MREQ_F_A);
    mf(s, "lisp.mreq.flags.mrp", "%d", q->has_map_reply ? 1 : 0);
    mf_bool(s, "lisp.mreq.flags.probe", q->flags, LISP_MREQ_F_P);
    mf_bool(s, "lisp.mreq.flags.smr", q->flags, LISP_MREQ_F_S);
    mf_bool(s, "lisp.mreq.flags.pitr", q->flags, LISP_MREQ_F_PITR);
    mf_bool(s, "lisp.mreq.flags.smri", q->flags, LISP_MREQ_F_SMR_INV);
    mf_addr(s, &SRC_EID, &q->source_eid);
    for (i = 0; i < q->itr_rloc_count; i++)
        mf_addr(s, &ITR_RLOC, &q->itr_rlocs[i]);
    for (i = 0; i < q->record_count; i++) {
        mf(s, "lisp.mreq.record.prefix.length", "%u", q->records[i].mask_len);
        mf_addr(s, &REQ_PREFIX, &q->records[i].addr);
    }
    if (q->has_map_reply)
        mf_record(s, &q->map_reply);
}

static void mf_map_reply(sampler *s, const lisp_map_reply *p)
{
    uint8_t i;

    mf(s, "lisp.records", "%u", p->record_count);
    mf(s, "lisp.nonce", "0x%016llx", (unsigned long long)p->nonce);
    mf_bool(s, "lisp.mrep.flags.probe", p->flags, LISP_MREP_F_P);
    mf_bool(s, "lisp.mrep.flags.enlr", p->flags, LISP_MREP_F_E);
    mf_bool(s, "lisp.mrep.flags.sec", p->flags, LISP_MREP_F_S);
    for (i = 0; i < p->record_count; i++)
        mf_record(s, &p->records[i]);
}

/* Map-Register (3), Map-Notify (4), Map-Notify-Ack (5). Wireshark 4.0 does not
 * dissect type 5 beyond its type, so only @lisp_len vouches for its body. */
static void mf_map_register(sampler *s, uint8_t type, const lisp_map_register *g)
{
    uint8_t i;
    bool xtr_id;

    if (type == LISP_MAP_NOTIFY_ACK)
        return;
    mf(s, "lisp.records", "%u", g->record_count);
    mf(s, "lisp.nonce", "0x%016llx", (unsigned long long)g->nonce);
    mf(s, "lisp.keyid", "0x%04x", g->key_id);
    mf(s, "lisp.authlen", "%u", g->auth_len);
    mf_bytes(s, "lisp.auth", g->auth, g->auth_len);
    if (type == LISP_MAP_REGISTER) {
        mf_bool(s, "lisp.mreg.flags.pmr", g->flags, LISP_MREG_F_P);
        mf_bool(s, "lisp.mreg.flags.sec", g->flags, LISP_MREG_F_S);
        mf_bool(s, "lisp.mreg.flags.xtrid", g->flags, LISP_MREG_F_I);
        mf_bool(s, "lisp.mreg.flags.rtr", g->flags, LISP_MREG_F_R);
        mf_bool(s, "lisp.mreg.flags.wmn", g->flags, LISP_MREG_F_M);
        xtr_id = (g->flags & LISP_MREG_F_I) != 0;
    } else {
        mf_bool(s, "lisp.mnot.flags.xtrid", g->flags, LISP_MNOT_F_I);
        mf_bool(s, "lisp.mnot.flags.rtr", g->flags, LISP_MNOT_F_R);
        xtr_id = (g->flags & LISP_MNOT_F_I) != 0;
    }
    for (i = 0; i < g->record_count; i++)
        mf_record(s, &g->records[i]);
    if (xtr_id) {
        mf_bytes(s, "lisp.xtrid", g->xtr_id, LISP_XTR_ID_LEN);
        mf_bytes(s, "lisp.siteid", g->site_id, LISP_SITE_ID_LEN);
    }
    if (type == LISP_MAP_NOTIFY && (g->flags & LISP_MNOT_F_R)) {
        mf(s, "lisp.msrtr.keyid", "0x%04x", g->msrtr_key_id);
        mf(s, "lisp.msrtr.authlen", "%u", g->msrtr_auth_len);
        mf_bytes(s, "lisp.msrtr.auth", g->msrtr_auth, g->msrtr_auth_len);
    }
}

static void mf_info(sampler *s, const lisp_info *in)
{
    const lisp_natt *n = &in->natt;
    unsigned i;

    mf_bool(s, "lisp.info.r", in->flags, LISP_INFO_F_R);
    mf(s, "lisp.nonce", "0x%016llx", (unsigned long long)in->nonce);
    mf(s, "lisp.keyid", "0x%04x", in->key_id);
    mf(s, "lisp.authlen", "%u", in->auth_len);
    mf_bytes(s, "lisp.auth", in->auth, in->auth_len);
    mf(s, "lisp.info.ttl", "%u", (unsigned)in->ttl);
    mf(s, "lisp.info.prefix.masklen", "%u", in->eid.mask_len);
    mf_addr(s, &INFO_PREFIX, &in->eid.addr);
    if (!(in->flags & LISP_INFO_F_R)) {
        /* Info-Request: AFI 0, or AFI 17 and the hostname (lispers.net). */
        mf(s, "lisp.info.afi", "%u", in->hostname.len ? LISP_AFI_NAME : LISP_AFI_NONE);
        if (in->hostname.len) /* Wireshark 4.0 does not decode the name: say what it is */
            mf(s, "@hostname", "%.*s", (int)in->hostname.len, (const char *)in->hostname.ptr);
        return;
    }
    /* Info-Reply: the NAT-Traversal LCAF. Its RLOCs share one field, in wire order. */
    mf(s, "lisp.info.afi", "%u", LISP_AFI_LCAF);
    mf(s, "lisp.lcaf.type", "%u", LISP_LCAF_NATT);
    mf(s, "lisp.lcaf.natt.msport", "%u", n->ms_port);
    mf(s, "lisp.lcaf.natt.etrport", "%u", n->etr_port);
    mf_afi(s, &NATT_RLOC, &n->global_etr);
    mf_afi(s, &NATT_RLOC, &n->ms);
    mf_afi(s, &NATT_RLOC, &n->private_etr);
    for (i = 0; i < n->rtr_count; i++)
        mf_afi(s, &NATT_RLOC, &n->rtrs[i]);
}

static void mf_msg(sampler *s, const lisp_msg *m)
{
    mf(s, "lisp.type", "%u", m->type);
    switch (m->type) {
    case LISP_MAP_REQUEST:
        mf_map_request(s, &m->u.mreq);
        break;
    case LISP_MAP_REPLY:
        mf_map_reply(s, &m->u.mrep);
        break;
    case LISP_MAP_REGISTER:
    case LISP_MAP_NOTIFY:
    case LISP_MAP_NOTIFY_ACK:
        mf_map_register(s, m->type, &m->u.mreg);
        break;
    case LISP_INFO:
        mf_info(s, &m->u.info);
        break;
    default:
        break; /* ECMs are described by mf_ecm, which knows the inner message */
    }
}

/* ECM: Wireshark 4.0 shows S and D as flags and every other bit of the first
 * word below the type (E, M, R, N included) as "Reserved bits". */
static void mf_ecm(sampler *s, const lisp_ecm *e, const lisp_msg *inner)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } bits[] = {{LISP_ECM_F_S, "S"}, {LISP_ECM_F_D, "D"}, {LISP_ECM_F_E, "E"},
                {LISP_ECM_F_M, "M"}, {LISP_ECM_F_R, "R"}, {LISP_ECM_F_N, "N"}};
    char names[32] = "";
    size_t i;

    /* The names of the bits set, so that the checker can hold the bit positions
     * against its own table rather than against our constants. */
    for (i = 0; i < sizeof bits / sizeof bits[0]; i++)
        if (e->flags & bits[i].bit)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                     names[0] ? " " : "", bits[i].name);
    mf(s, "@ecm_flags", "%s", names[0] ? names : "none");
    mf(s, "lisp.type", "%u", LISP_ECM);
    mf_bool(s, "lisp.ecm.flags.sec", e->flags, LISP_ECM_F_S);
    mf_bool(s, "lisp.ecm.flags.ddt", e->flags, LISP_ECM_F_D);
    mf(s, "lisp.ecm.res", "0x%08x",
       (unsigned)(e->flags & ~(LISP_ECM_F_S | LISP_ECM_F_D)));
    mf_ipudp(s, &e->inner, e->payload_len);
    mf_msg(s, inner);
}

static void mf_data(sampler *s, const lisp_data_hdr *h)
{
    mf(s, "lisp-data.flags", "0x%02x", h->flags);
    mf_bool(s, "lisp-data.flags.nonce", h->flags, LISP_DATA_F_N);
    mf_bool(s, "lisp-data.flags.lsb", h->flags, LISP_DATA_F_L);
    mf_bool(s, "lisp-data.flags.enr", h->flags, LISP_DATA_F_E);
    mf_bool(s, "lisp-data.flags.mv", h->flags, LISP_DATA_F_V);
    mf_bool(s, "lisp-data.flags.iid", h->flags, LISP_DATA_F_I);
    if (h->flags & LISP_DATA_F_N)
        mf(s, "lisp-data.nonce", "%u", (unsigned)h->nonce);
    if (h->flags & LISP_DATA_F_V) {
        mf(s, "lisp-data.srcmapver", "%u", h->src_map_version);
        mf(s, "lisp-data.dstmapver", "%u", h->dst_map_version);
    }
    if (h->flags & LISP_DATA_F_I) {
        mf(s, "lisp-data.iid", "%u", (unsigned)h->iid);
        if (h->flags & LISP_DATA_F_L)
            mf(s, "lisp-data.lsb8", "0x%02x", (unsigned)h->lsb);
    } else if (h->flags & LISP_DATA_F_L) {
        mf(s, "lisp-data.lsb", "0x%08x", (unsigned)h->lsb);
    }
}

/* ---------------------------------------------------------------------------------- */
/* Building frames.                                                                    */
/* ---------------------------------------------------------------------------------- */

/* The LISP payload of the next frame goes here, behind room for the outer headers. */
static uint8_t *payload_slot(sampler *s, uint16_t afi)
{
    return s->pkt + lisp_ipudp_header_len(afi);
}

static void frame_begin(sampler *s, const char *kind, const lisp_ipudp *outer, size_t lisp_len)
{
    s->frame++;
    mf(s, "@kind", "%s", kind);
    mf(s, "@lisp_len", "%zu", lisp_len);
    mf_ipudp(s, outer, lisp_len);
    printf("  %2u  %-6s %s\n", s->frame, outer->afi == LISP_AFI_IPV4 ? "IPv4" : "IPv6", kind);
}

/* Put the outer IP/UDP headers in front of the payload and write the frame. */
static void frame_write(sampler *s, const lisp_ipudp *outer, size_t lisp_len)
{
    struct pcap_pkthdr ph;
    size_t len;

    CHECK("outer IP/UDP headers", lisp_ipudp_encode(outer, s->pkt, sizeof s->pkt, lisp_len, &len));
    memset(&ph, 0, sizeof ph);
    ph.ts.tv_sec = FIRST_TIMESTAMP + s->frame / 100;
    ph.ts.tv_usec = (s->frame % 100) * 10000;
    ph.caplen = ph.len = (bpf_u_int32)len;
    pcap_dump((u_char *)s->dump, &ph, s->pkt);
}

/* Encode m into buf and check that our own decoder reads it back. */
static size_t encode_msg(const lisp_msg *m, uint8_t *buf, size_t cap)
{
    static lisp_msg back; /* large: keep it off the stack */
    size_t len;

    CHECK(lisp_msg_type_name(m->type), lisp_msg_encode(m, buf, cap, &len));
    CHECK("decoding our own message", lisp_msg_decode(&back, buf, len));
    return len;
}

/*
 * Sign an encoded message in place with lisp_auth_sign, and fill `mac` with the
 * value the authentication field must hold: an HMAC (lisp_hmac) over the
 * message as encoded, i.e. with the field still zero, cut to the field's
 * length. Computing it independently makes the manifest check lisp_auth_sign.
 */
static void sign(uint8_t *msg, size_t len, uint16_t key_id, uint16_t auth_len, const char *key,
                 uint8_t mac[LISP_HMAC_MAX])
{
    size_t mac_len;

    CHECK("HMAC", lisp_hmac(key_id, (const uint8_t *)key, strlen(key), msg, len, mac, &mac_len));
    if (auth_len > mac_len)
        die("authentication field longer than the HMAC", LISP_ERR_INVALID_ARG);
    CHECK("lisp_auth_sign", lisp_auth_sign(msg, len, (const uint8_t *)key, strlen(key)));
    CHECK("lisp_auth_verify", lisp_auth_verify(msg, len, (const uint8_t *)key, strlen(key), false));
}

/* A control message in its own UDP datagram. `m` describes the message as sent:
 * for signed messages the caller points its auth field at the expected HMAC. */
static void send_control(sampler *s, const char *kind, const lisp_ipudp *outer, const lisp_msg *m,
                         size_t len)
{
    frame_begin(s, kind, outer, len);
    mf_msg(s, m);
    frame_write(s, outer, len);
}

/* Encode, sign with the site key and send a message with an authentication
 * field (Map-Register, Map-Notify, Map-Notify-Ack, Info). */
static void send_signed(sampler *s, const char *kind, const lisp_ipudp *outer, lisp_msg *m)
{
    static uint8_t mac[LISP_HMAC_MAX];
    uint8_t *buf = payload_slot(s, outer->afi);
    bool is_info = m->type == LISP_INFO;
    uint16_t key_id = is_info ? m->u.info.key_id : m->u.mreg.key_id;
    uint16_t auth_len = is_info ? m->u.info.auth_len : m->u.mreg.auth_len;
    size_t len = encode_msg(m, buf, LISP_MSG_MAX);

    sign(buf, len, key_id, auth_len, SITE_KEY, mac);
    /* From here on `m` describes the signed message exactly as it is on the wire. */
    if (is_info)
        m->u.info.auth = mac;
    else
        m->u.mreg.auth = mac;
    send_control(s, kind, outer, m, len);
}

static void send_unsigned(sampler *s, const char *kind, const lisp_ipudp *outer, const lisp_msg *m)
{
    size_t len = encode_msg(m, payload_slot(s, outer->afi), LISP_MSG_MAX);
    send_control(s, kind, outer, m, len);
}

/* An Encapsulated Control Message: LISP header, inner IP/UDP, inner message. */
static void send_ecm(sampler *s, const char *kind, const lisp_ipudp *outer, uint32_t flags,
                     const lisp_ipudp *inner_hdr, const lisp_msg *inner)
{
    static uint8_t inner_buf[LISP_MSG_MAX];
    static lisp_msg ecm;
    size_t len;

    memset(&ecm, 0, sizeof ecm);
    ecm.type = LISP_ECM;
    ecm.u.ecm.flags = flags;
    ecm.u.ecm.inner = *inner_hdr;
    ecm.u.ecm.payload = inner_buf;
    ecm.u.ecm.payload_len = encode_msg(inner, inner_buf, sizeof inner_buf);
    len = encode_msg(&ecm, payload_slot(s, outer->afi), LISP_MSG_MAX);

    frame_begin(s, kind, outer, len);
    mf_ecm(s, &ecm.u.ecm, inner);
    frame_write(s, outer, len);
}

/* RFC 1071 checksum, for the hand-made ICMP echo inside a data packet. */
static uint16_t inet_checksum(const uint8_t *p, size_t len)
{
    uint32_t acc = 0;
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        acc += (uint32_t)((p[i] << 8) | p[i + 1]);
    if (len & 1)
        acc += (uint32_t)(p[len - 1] << 8);
    while (acc >> 16)
        acc = (acc & 0xFFFF) + (acc >> 16);
    return (uint16_t)~acc;
}

/* An inner IPv4 ICMP echo request (20 + 8 + 8 bytes) from src to dst. */
static size_t build_icmp_echo(uint8_t *p, const uint8_t src[4], const uint8_t dst[4])
{
    static const uint8_t hdr[20] = {0x45, 0, 0, 36, 0x12, 0x34, 0x40, 0, 64, 1};
    static const char data[8] = "lispdat";
    uint16_t ck;

    memcpy(p, hdr, sizeof hdr);
    memcpy(p + 12, src, 4);
    memcpy(p + 16, dst, 4);
    ck = inet_checksum(p, 20);
    p[10] = (uint8_t)(ck >> 8);
    p[11] = (uint8_t)ck;
    memset(p + 20, 0, 8);
    p[20] = 8;                      /* echo request */
    p[24] = 0x4c, p[25] = 0x49;     /* identifier */
    p[27] = 1;                      /* sequence number */
    memcpy(p + 28, data, sizeof data);
    ck = inet_checksum(p + 20, 16);
    p[22] = (uint8_t)(ck >> 8);
    p[23] = (uint8_t)ck;
    return 36;
}

/* An inner UDP datagram (via lisp_ipudp_encode) carrying a short text. */
static size_t build_udp(uint8_t *p, size_t cap, const lisp_ipudp *h)
{
    static const char text[] = "hello over LISP";
    size_t len;

    memcpy(p + lisp_ipudp_header_len(h->afi), text, sizeof text - 1);
    CHECK("inner UDP", lisp_ipudp_encode(h, p, cap, sizeof text - 1, &len));
    return len;
}

/* A LISP data packet: 8-byte header plus an inner packet (ICMP or UDP). */
static void send_data(sampler *s, const char *kind, const lisp_ipudp *outer, const lisp_data_hdr *h,
                      const lisp_ipudp *inner_udp, const uint8_t *icmp_src, const uint8_t *icmp_dst)
{
    uint8_t *buf = payload_slot(s, outer->afi);
    uint8_t *inner = buf + LISP_DATA_HDR_LEN;
    size_t cap = sizeof s->pkt - (size_t)(inner - s->pkt);
    size_t inner_len;
    lisp_data_hdr back;

    CHECK("LISP data header", lisp_data_encode(h, buf));
    CHECK("decoding our own data header", lisp_data_decode(&back, buf, LISP_DATA_HDR_LEN));
    if (inner_udp)
        inner_len = build_udp(inner, cap, inner_udp);
    else
        inner_len = build_icmp_echo(inner, icmp_src, icmp_dst);

    frame_begin(s, kind, outer, LISP_DATA_HDR_LEN + inner_len);
    mf_data(s, h);
    if (inner_udp) {
        mf_ipudp(s, inner_udp, inner_len - lisp_ipudp_header_len(inner_udp->afi));
    } else {
        mf(s, "ip.checksum.status", "1");
        mf(s, "icmp.checksum.status", "1");
    }
    frame_write(s, outer, LISP_DATA_HDR_LEN + inner_len);
}

/* ---------------------------------------------------------------------------------- */
/* The sample network: RLOCs of one address family, and the EIDs behind them.          */
/* ---------------------------------------------------------------------------------- */

typedef struct network {
    uint16_t afi;            /* of the RLOCs */
    lisp_afi_addr xtr;       /* the xTR (ITR/ETR) as the world sees it (after NAT) */
    lisp_afi_addr xtr_priv;  /* its own address behind the NAT */
    lisp_afi_addr xtr2;      /* a second RLOC of the same xTR */
    lisp_afi_addr other;     /* an RLOC of the other family, for mixed locator sets */
    lisp_afi_addr ms;        /* Map-Server / Map-Resolver */
    lisp_afi_addr etr;       /* a remote ETR */
    lisp_afi_addr rtr1, rtr2;
    lisp_afi_addr eid_net;   /* the site's EID prefix */
    uint8_t eid_len;
    lisp_afi_addr eid_host;  /* one host in it */
    lisp_afi_addr eid_net2;  /* another prefix of the site */
    uint8_t eid_len2;
    lisp_afi_addr remote_host; /* a host at the remote site */
} network;

static lisp_afi_addr ip(const char *text)
{
    lisp_afi_addr a;
    CHECK(text, lisp_afi_from_str(&a, text));
    return a;
}

static network network_v4(void)
{
    network n;
    memset(&n, 0, sizeof n);
    n.afi = LISP_AFI_IPV4;
    n.xtr = ip("203.0.113.99");
    n.xtr_priv = ip("192.168.1.10");
    n.xtr2 = ip("192.0.2.10");
    n.other = ip("2001:db8:ffff::10");
    n.ms = ip("198.51.100.1");
    n.etr = ip("203.0.113.20");
    n.rtr1 = ip("198.51.100.50");
    n.rtr2 = ip("198.51.100.51");
    n.eid_net = ip("10.1.0.0");
    n.eid_len = 16;
    n.eid_host = ip("10.1.1.1");
    n.eid_net2 = ip("10.1.128.0");
    n.eid_len2 = 24;
    n.remote_host = ip("10.2.0.7");
    return n;
}

static network network_v6(void)
{
    network n;
    memset(&n, 0, sizeof n);
    n.afi = LISP_AFI_IPV6;
    n.xtr = ip("2001:db8:99::1");
    n.xtr_priv = ip("fd00:1::10");
    n.xtr2 = ip("2001:db8:99::2");
    n.other = ip("192.0.2.77");
    n.ms = ip("2001:db8:51::1");
    n.etr = ip("2001:db8:20::20");
    n.rtr1 = ip("2001:db8:50::50");
    n.rtr2 = ip("2001:db8:50::51");
    n.eid_net = ip("2001:db8:e1d::");
    n.eid_len = 48;
    n.eid_host = ip("2001:db8:e1d::1");
    n.eid_net2 = ip("2001:db8:e1d:8000::");
    n.eid_len2 = 64;
    n.remote_host = ip("2001:db8:e2d::7");
    return n;
}

static lisp_ipudp udp_hdr(const lisp_afi_addr *src, uint16_t sport, const lisp_afi_addr *dst,
                          uint16_t dport)
{
    lisp_ipudp h;
    memset(&h, 0, sizeof h);
    h.afi = src->afi;
    memcpy(h.src, src->ip, 16);
    memcpy(h.dst, dst->ip, 16);
    h.sport = sport;
    h.dport = dport;
    h.ttl = 64;
    return h;
}

static lisp_locator locator(uint8_t priority, uint8_t weight, uint16_t flags, lisp_addr addr)
{
    lisp_locator l;
    memset(&l, 0, sizeof l);
    l.priority = priority;
    l.weight = weight;
    l.mpriority = 255; /* no multicast */
    l.flags = flags;
    l.addr = addr;
    return l;
}

static lisp_record record(uint32_t ttl, uint8_t mask_len, lisp_addr eid, uint8_t loc_count,
                          lisp_locator *locators)
{
    lisp_record r;
    memset(&r, 0, sizeof r);
    r.ttl = ttl;
    r.authoritative = true;
    r.eid.mask_len = mask_len;
    r.eid.addr = eid;
    r.loc_count = loc_count;
    r.locators = locators;
    return r;
}

/* An RTR locator as lispers.net announces it: an AFI-List of the RTR's
 * address and the name "RTR", priority 254. */
static lisp_locator rtr_locator(const lisp_afi_addr *rtr)
{
    lisp_addr list = lisp_addr_plain(*rtr);
    list.lcaf = LISP_LCAF_AFI_LIST;
    list.n_more = 1;
    list.more[0] = lisp_afi_name("RTR");
    return locator(254, 0, LISP_LOC_F_R, list);
}

static const uint8_t XTR_ID[LISP_XTR_ID_LEN] = {0x5a, 0x7e, 0x1d, 0x00, 0x11, 0x22, 0x33, 0x44,
                                                0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc};
static const uint8_t SITE_ID[LISP_SITE_ID_LEN] = {0, 0, 0, 0, 0, 0, 0x10, 0x01};

/* ---------------------------------------------------------------------------------- */
/* The samples.                                                                        */
/* ---------------------------------------------------------------------------------- */

/* Map-Request variants, each in a fresh message; the first one also goes into an ECM
 * later, so it is returned in inner_out / inner_msg. */
static void map_requests(sampler *s, const network *n, uint64_t nonce_base, lisp_msg *m,
                         lisp_ipudp *inner_out, lisp_msg *inner_msg)
{
    lisp_map_request *q = &m->u.mreq;
    lisp_ipudp h;
    static lisp_locator probe_locs[1];

    /* 1. A plain Map-Request: IID-LCAF EID, three ITR-RLOCs (one of the other family). */
    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_REQUEST;
    q->nonce = nonce_base + 1;
    q->source_eid = lisp_addr_plain(n->eid_host);
    q->itr_rloc_count = 3;
    q->itr_rlocs[0] = lisp_addr_plain(n->xtr);
    q->itr_rlocs[1] = lisp_addr_plain(n->xtr2);
    q->itr_rlocs[2] = lisp_addr_plain(n->other);
    q->record_count = 1;
    q->records[0].mask_len = (uint8_t)lisp_afi_bits(n->remote_host.afi);
    q->records[0].addr = lisp_addr_iid(IID, n->remote_host);
    /* The same Map-Request travels to the Map-Resolver inside an ECM (below). */
    *inner_msg = *m;
    *inner_out = udp_hdr(&n->xtr, EPHEMERAL_PORT, &n->ms, LISP_CONTROL_PORT);
    h = udp_hdr(&n->xtr, EPHEMERAL_PORT, &n->etr, LISP_CONTROL_PORT);
    send_unsigned(s, "Map-Request (IID-LCAF EID, 3 ITR-RLOCs)", &h, m);

    /* 2. SMR: the ETR solicits a Map-Request from an ITR that caches its mapping. */
    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_REQUEST;
    q->flags = LISP_MREQ_F_S;
    q->nonce = nonce_base + 2;
    q->source_eid = lisp_addr_iid(IID, n->eid_host);
    q->itr_rloc_count = 2;
    q->itr_rlocs[0] = lisp_addr_plain(n->etr);
    q->itr_rlocs[1] = lisp_addr_plain(n->other);
    q->record_count = 1;
    q->records[0].mask_len = (uint8_t)lisp_afi_bits(n->remote_host.afi);
    q->records[0].addr = lisp_addr_iid(IID, n->remote_host);
    h = udp_hdr(&n->etr, LISP_CONTROL_PORT, &n->xtr, LISP_CONTROL_PORT);
    send_unsigned(s, "Map-Request SMR (S bit, IID-LCAF source EID)", &h, m);

    /* 3. RLOC-probe with the M bit: the prober includes its own mapping. */
    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_REQUEST;
    q->flags = LISP_MREQ_F_P;
    q->nonce = nonce_base + 3;
    q->source_eid = lisp_addr_plain(n->eid_host);
    q->itr_rloc_count = 2;
    q->itr_rlocs[0] = lisp_addr_plain(n->xtr);
    q->itr_rlocs[1] = lisp_addr_plain(n->xtr2);
    q->record_count = 1;
    q->records[0].mask_len = n->eid_len;
    q->records[0].addr = lisp_addr_plain(n->eid_net);
    q->has_map_reply = true;
    probe_locs[0] = locator(1, 100, LISP_LOC_F_L | LISP_LOC_F_R, lisp_addr_plain(n->xtr));
    q->map_reply = record(1440, n->eid_len, lisp_addr_plain(n->eid_net), 1, probe_locs);
    h = udp_hdr(&n->xtr, LISP_CONTROL_PORT, &n->etr, LISP_CONTROL_PORT);
    send_unsigned(s, "Map-Request RLOC-probe (P bit, M bit with a mapping record)", &h, m);
}

static void map_replies(sampler *s, const network *n, uint64_t nonce_base, lisp_msg *m)
{
    static lisp_locator locs1[4], locs2[1];
    static lisp_record recs[2];
    lisp_ipudp h = udp_hdr(&n->etr, LISP_CONTROL_PORT, &n->xtr, EPHEMERAL_PORT);

    /* Two records: one with four locators (among them an RTR as an AFI-List
     * locator with the name "RTR"), one IID-LCAF EID with one locator. */
    locs1[0] = locator(1, 50, LISP_LOC_F_R, lisp_addr_plain(n->etr));
    locs1[1] = locator(1, 50, LISP_LOC_F_R, lisp_addr_plain(n->xtr2));
    locs1[2] = locator(2, 100, 0, lisp_addr_plain(n->other));
    locs1[3] = rtr_locator(&n->rtr1);
    locs2[0] = locator(1, 100, LISP_LOC_F_R, lisp_addr_plain(n->etr));
    recs[0] = record(1440, n->eid_len, lisp_addr_plain(n->eid_net), 4, locs1);
    recs[0].map_version = 7;
    recs[1] = record(60, n->eid_len2, lisp_addr_iid(IID, n->eid_net2), 1, locs2);

    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_REPLY;
    m->u.mrep.nonce = nonce_base + 1;
    m->u.mrep.record_count = 2;
    m->u.mrep.records = recs;
    send_unsigned(s, "Map-Reply (2 records, RTR AFI-List locator, IID-LCAF EID)", &h, m);

    /* A negative Map-Reply: no locators, action natively-forward, 15 minutes. */
    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_REPLY;
    m->u.mrep.nonce = nonce_base + 2;
    m->u.mrep.record_count = 1;
    recs[0] = record(15, n->eid_len2, lisp_addr_plain(n->eid_net2), 0, NULL);
    recs[0].action = LISP_ACT_NATIVELY_FORWARD;
    recs[0].authoritative = false;
    m->u.mrep.records = recs;
    h = udp_hdr(&n->ms, LISP_CONTROL_PORT, &n->xtr, EPHEMERAL_PORT);
    send_unsigned(s, "negative Map-Reply (0 locators, natively-forward)", &h, m);
}

static void registrations(sampler *s, const network *n, uint64_t nonce_base, lisp_msg *m)
{
    static lisp_locator locs[3];
    static lisp_record recs[2];
    static uint8_t msrtr_mac[LISP_HMAC_MAX];
    lisp_map_register *g = &m->u.mreg;
    lisp_ipudp reg_hdr = udp_hdr(&n->xtr, EPHEMERAL_PORT, &n->ms, LISP_CONTROL_PORT);
    lisp_ipudp notify_hdr = udp_hdr(&n->ms, LISP_CONTROL_PORT, &n->xtr, EPHEMERAL_PORT);
    lisp_ipudp ack_hdr = udp_hdr(&n->xtr, EPHEMERAL_PORT, &n->ms, LISP_CONTROL_PORT);
    unsigned notify_frame;
    uint8_t *buf;
    size_t len;

    locs[0] = locator(1, 100, LISP_LOC_F_L | LISP_LOC_F_R, lisp_addr_plain(n->xtr));
    locs[1] = rtr_locator(&n->rtr1);
    locs[2] = locator(1, 100, LISP_LOC_F_R, lisp_addr_plain(n->xtr2));
    recs[0] = record(1440, n->eid_len, lisp_addr_iid(IID, n->eid_net), 2, locs);
    recs[1] = record(1440, n->eid_len2, lisp_addr_plain(n->eid_net2), 1, locs + 2);

    /* Map-Register, key-id 1 (HMAC-SHA-1, 20 bytes), want-map-notify, xTR-ID and site-ID. */
    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_REGISTER;
    g->flags = LISP_MREG_F_M | LISP_MREG_F_I | LISP_MREG_F_P;
    g->nonce = nonce_base + 1;
    g->key_id = LISP_KEY_ID_HMAC_SHA1_96;
    g->auth_len = lisp_auth_default_len(g->key_id);
    g->record_count = 2;
    g->records = recs;
    memcpy(g->xtr_id, XTR_ID, sizeof XTR_ID);
    memcpy(g->site_id, SITE_ID, sizeof SITE_ID);
    send_signed(s, "Map-Register key-id 1 (HMAC-SHA-1), M, I and P bits", &reg_hdr, m);

    /* Map-Register, key-id 2 (HMAC-SHA-256, 32 bytes), no Map-Notify wanted. */
    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_REGISTER;
    g->nonce = nonce_base + 2;
    g->key_id = LISP_KEY_ID_HMAC_SHA256_128;
    g->auth_len = lisp_auth_default_len(g->key_id);
    g->record_count = 1;
    g->records = recs + 1;
    send_signed(s, "Map-Register key-id 2 (HMAC-SHA-256)", &reg_hdr, m);

    /* Map-Notify answering the first Map-Register (same nonce, xTR-ID, records). */
    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_NOTIFY;
    g->flags = LISP_MNOT_F_I;
    g->nonce = nonce_base + 1;
    g->key_id = LISP_KEY_ID_HMAC_SHA1_96;
    g->auth_len = lisp_auth_default_len(g->key_id);
    g->record_count = 2;
    g->records = recs;
    memcpy(g->xtr_id, XTR_ID, sizeof XTR_ID);
    memcpy(g->site_id, SITE_ID, sizeof SITE_ID);
    send_signed(s, "Map-Notify (I bit, signed)", &notify_hdr, m);
    notify_frame = s->frame;

    /* Map-Notify with the R bit (draft-ermagan): the Map-Server sends it to the
     * RTR, with a second authentication field keyed with the MS-RTR key. The
     * codec leaves that field to the caller; this sample computes it over the
     * message with both authentication fields zero, then signs as usual. */
    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_NOTIFY;
    g->flags = LISP_MNOT_F_I | LISP_MNOT_F_R;
    g->nonce = nonce_base + 3;
    g->key_id = LISP_KEY_ID_HMAC_SHA1_96;
    g->auth_len = lisp_auth_default_len(g->key_id);
    g->record_count = 1;
    g->records = recs;
    memcpy(g->xtr_id, XTR_ID, sizeof XTR_ID);
    memcpy(g->site_id, SITE_ID, sizeof SITE_ID);
    g->msrtr_key_id = LISP_KEY_ID_HMAC_SHA256_128;
    g->msrtr_auth_len = lisp_auth_default_len(g->msrtr_key_id);
    buf = payload_slot(s, n->afi);
    len = encode_msg(m, buf, LISP_MSG_MAX);
    {
        size_t mac_len;
        CHECK("MS-RTR HMAC", lisp_hmac(g->msrtr_key_id, (const uint8_t *)RTR_KEY, strlen(RTR_KEY),
                                       buf, len, msrtr_mac, &mac_len));
    }
    g->msrtr_auth = msrtr_mac;
    {
        lisp_ipudp to_rtr = udp_hdr(&n->ms, LISP_CONTROL_PORT, &n->rtr1, LISP_CONTROL_PORT);
        send_signed(s, "Map-Notify with R bit and MS-RTR authentication", &to_rtr, m);
    }

    /* Map-Notify-Ack (type 5): the xTR acknowledges the first Map-Notify. */
    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_NOTIFY_ACK;
    g->flags = LISP_MNOT_F_I;
    g->nonce = nonce_base + 1;
    g->key_id = LISP_KEY_ID_HMAC_SHA1_96;
    g->auth_len = lisp_auth_default_len(g->key_id);
    g->record_count = 2;
    g->records = recs;
    memcpy(g->xtr_id, XTR_ID, sizeof XTR_ID);
    memcpy(g->site_id, SITE_ID, sizeof SITE_ID);
    send_signed(s, "Map-Notify-Ack (type 5, signed)", &ack_hdr, m);
    /* Wireshark 4.0 does not dissect type 5. Its body repeats the Map-Notify's,
     * which Wireshark does dissect: tell the checker where to compare. */
    mf(s, "@body_as_frame", "%u", notify_frame);
}

static void encapsulated(sampler *s, const network *n, const network *other_family,
                         uint64_t nonce_base, const lisp_ipudp *inner_hdr,
                         const lisp_msg *inner_msg, lisp_msg *m)
{
    lisp_ipudp h = udp_hdr(&n->xtr, EPHEMERAL_PORT, &n->ms, LISP_CONTROL_PORT);
    lisp_ipudp inner2;

    send_ecm(s, "ECM carrying a Map-Request to the Map-Resolver", &h, 0, inner_hdr, inner_msg);

    /* NAT traversal: the xTR behind a NAT sends its Map-Request to an RTR with
     * the R bit; the inner header uses the other address family. */
    *m = *inner_msg;
    m->u.mreq.nonce = nonce_base + 9;
    inner2 = udp_hdr(&other_family->xtr, EPHEMERAL_PORT, &other_family->ms, LISP_CONTROL_PORT);
    h = udp_hdr(&n->xtr, EPHEMERAL_PORT, &n->rtr1, LISP_CONTROL_PORT);
    send_ecm(s, "ECM with the NAT-traversal R bit (inner Map-Request, other family)", &h,
             LISP_ECM_F_R, &inner2, m);
}

static void info_messages(sampler *s, const network *n, uint64_t nonce_base, lisp_msg *m)
{
    static const char hostname[] = "xtr-behind-nat";
    lisp_info *in = &m->u.info;
    /* The xTR sends from 4342; the Map-Server sees the NAT's port. */
    lisp_ipudp req_hdr = udp_hdr(&n->xtr, NAT_CONTROL_PORT, &n->ms, LISP_CONTROL_PORT);
    lisp_ipudp rep_hdr = udp_hdr(&n->ms, LISP_CONTROL_PORT, &n->xtr, NAT_CONTROL_PORT);

    /* Info-Request as the NAT-traversal draft defines it: the AFI 0 form. */
    memset(m, 0, sizeof *m);
    m->type = LISP_INFO;
    in->nonce = nonce_base + 1;
    in->key_id = LISP_KEY_ID_HMAC_SHA1_96;
    in->auth_len = lisp_auth_default_len(in->key_id);
    in->eid.mask_len = n->eid_len;
    in->eid.addr = lisp_addr_plain(n->eid_net);
    send_signed(s, "Info-Request (AFI 0)", &req_hdr, m);

    /* Info-Request as lispers.net sends it: AFI 17 and the xTR's hostname. */
    memset(m, 0, sizeof *m);
    m->type = LISP_INFO;
    in->nonce = nonce_base + 2;
    in->key_id = LISP_KEY_ID_HMAC_SHA1_96;
    in->auth_len = lisp_auth_default_len(in->key_id);
    in->eid.mask_len = n->eid_len;
    in->eid.addr = lisp_addr_plain(n->eid_net);
    in->hostname.ptr = (const uint8_t *)hostname;
    in->hostname.len = (uint16_t)strlen(hostname);
    send_signed(s, "Info-Request hostname form (AFI 17, lispers.net)", &req_hdr, m);

    /* Info-Reply to the first request: the NAT-Traversal LCAF tells the xTR
     * what the Map-Server saw and which RTRs to use. */
    memset(m, 0, sizeof *m);
    m->type = LISP_INFO;
    in->flags = LISP_INFO_F_R;
    in->nonce = nonce_base + 1;
    in->key_id = LISP_KEY_ID_HMAC_SHA1_96;
    in->auth_len = lisp_auth_default_len(in->key_id);
    in->ttl = 1440;
    in->eid.mask_len = n->eid_len;
    in->eid.addr = lisp_addr_plain(n->eid_net);
    in->natt.ms_port = NAT_CONTROL_PORT;
    in->natt.etr_port = NAT_DATA_PORT;
    in->natt.global_etr = n->xtr;
    in->natt.ms = n->ms;
    in->natt.private_etr = n->xtr_priv;
    in->natt.rtr_count = 2;
    in->natt.rtrs[0] = n->rtr1;
    in->natt.rtrs[1] = n->rtr2;
    send_signed(s, "Info-Reply with NAT-Traversal LCAF (2 RTRs)", &rep_hdr, m);
}

/* Data packets between the xTR and the remote ETR. The ICMP echo is always
 * between IPv4 EIDs (v4), also over IPv6 RLOCs: any EID family fits any RLOC family. */
static void data_packets(sampler *s, const network *n, const network *v4)
{
    lisp_ipudp h = udp_hdr(&n->xtr, DATA_SPORT, &n->etr, LISP_DATA_PORT);
    lisp_ipudp inner, rtr_to_xtr;
    lisp_data_hdr d;

    /* N and L bits: a nonce and the locator-status-bits (two locators up). */
    memset(&d, 0, sizeof d);
    d.flags = LISP_DATA_F_N | LISP_DATA_F_L;
    d.nonce = 0xa1b2c3;
    d.lsb = 0x3;
    if (n->afi == LISP_AFI_IPV6)
        d.flags |= LISP_DATA_F_E; /* and an echo-nonce request */
    send_data(s, n->afi == LISP_AFI_IPV6 ? "data: N, L and E bits, inner IPv4 ICMP echo"
                                         : "data: N and L bits, inner IPv4 ICMP echo",
              &h, &d, NULL, v4->eid_host.ip, v4->remote_host.ip);

    /* I and L bits: instance-ID and 8 locator-status-bits, inner UDP. An RTR
     * sends it to the xTR behind the NAT, i.e. to the NAT's port. */
    memset(&d, 0, sizeof d);
    d.flags = LISP_DATA_F_I | LISP_DATA_F_L;
    d.iid = IID;
    d.lsb = 0x01;
    inner = udp_hdr(&n->remote_host, 40000, &n->eid_host, 9);
    rtr_to_xtr = udp_hdr(&n->rtr1, LISP_DATA_PORT, &n->xtr, NAT_DATA_PORT);
    send_data(s, "data: I and L bits (instance-ID, 8 LSBs), RTR to NAT port, inner UDP",
              &rtr_to_xtr, &d, &inner, NULL, NULL);

    /* V bit: source and destination map-versions, inner UDP. */
    memset(&d, 0, sizeof d);
    d.flags = LISP_DATA_F_V;
    d.src_map_version = 7;
    d.dst_map_version = 0xabc;
    inner = udp_hdr(&n->eid_host, 40001, &n->remote_host, 9);
    send_data(s, "data: V bit (map-versions), inner UDP", &h, &d, &inner, NULL, NULL);
}

/* Every kind of message, between RLOCs of network n. */
static void all_samples(sampler *s, const network *n, const network *other_family)
{
    static lisp_msg m, inner_msg;
    lisp_ipudp inner_hdr;
    uint64_t nonce_base = n->afi == LISP_AFI_IPV4 ? 0x4c15500000000000ull : 0x4c15600000000000ull;

    map_requests(s, n, nonce_base + 0x100, &m, &inner_hdr, &inner_msg);
    map_replies(s, n, nonce_base + 0x200, &m);
    registrations(s, n, nonce_base + 0x300, &m);
    encapsulated(s, n, other_family, nonce_base + 0x400, &inner_hdr, &inner_msg, &m);
    info_messages(s, n, nonce_base + 0x500, &m);
    data_packets(s, n, n->afi == LISP_AFI_IPV4 ? n : other_family);
}

/* ---------------------------------------------------------------------------------- */

static void usage(FILE *to)
{
    fprintf(to,
            "usage: lisp-wire-samples [--out FILE] [--manifest FILE]\n"
            "\n"
            "Writes one packet of every LISP message kind (Map-Request, SMR, RLOC-probe,\n"
            "Map-Reply, negative Map-Reply, Map-Register with key-id 1 and 2, Map-Notify,\n"
            "Map-Notify with MS-RTR authentication, Map-Notify-Ack, ECM, Info-Request,\n"
            "Info-Reply with NAT-Traversal LCAF, LISP data packets) over IPv4 and IPv6\n"
            "RLOCs to a pcap file.\n"
            "\n"
            "  -o, --out FILE       pcap file to write (default " DEFAULT_OUT ")\n"
            "  -m, --manifest FILE  also write the field values a dissector must show\n"
            "                       (frame<TAB>tshark-field<TAB>value per line)\n"
            "  -h, --help           show this help\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"manifest", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static sampler s;
    const char *out = DEFAULT_OUT, *manifest = NULL;
    network v4 = network_v4(), v6 = network_v6();
    int c;

    while ((c = getopt_long(argc, argv, "o:m:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'm': manifest = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }

    s.pcap = pcap_open_dead(DLT_RAW, 65535);
    if (!s.pcap || !(s.dump = pcap_dump_open(s.pcap, out))) {
        fprintf(stderr, "lisp-wire-samples: cannot write %s: %s\n", out,
                s.pcap ? pcap_geterr(s.pcap) : "pcap_open_dead failed");
        return 1;
    }
    if (manifest) {
        s.manifest = fopen(manifest, "w");
        if (!s.manifest) {
            perror(manifest);
            return 1;
        }
        fprintf(s.manifest, "# lisp-wire-samples manifest: frame<TAB>field<TAB>value\n"
                            "# fields are tshark field names; @fields describe the sample\n");
    }

    printf("frame  RLOCs  message\n");
    all_samples(&s, &v4, &v6);
    all_samples(&s, &v6, &v4);

    pcap_dump_close(s.dump);
    pcap_close(s.pcap);
    if (s.manifest && fclose(s.manifest) != 0) {
        perror(manifest);
        return 1;
    }
    printf("\nWrote %u frames to %s%s%s\n", s.frame, out, manifest ? ", manifest to " : "",
           manifest ? manifest : "");
    printf("Open it with the LISP port dispatcher (a path from the repository root), so\n"
           "that every datagram to or from port 4342 is dissected as LISP control and\n"
           "4341 as LISP data, whatever the other port:\n"
           "  wireshark -X lua_script:wireshark/lisp-ports.lua -o udp.try_heuristic_first:TRUE %s\n"
           "  tshark -X lua_script:wireshark/lisp-ports.lua -o udp.try_heuristic_first:TRUE -r %s -V\n",
           out, out);
    return 0;
}
