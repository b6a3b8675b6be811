/*
 * lisp-stun-message.cc - STUN Binding messages of the NAT behaviour probe
 * (lisp-stun-message.h).
 */
#include "lisp-stun-message.h"

#include <algorithm>

namespace ns3
{

namespace
{

const uint32_t MAGIC_COOKIE = 0x2112A442;
const size_t HEADER_LEN = 20;
const uint8_t FAMILY_IPV4 = 0x01;

enum : uint16_t {
    ATTR_MAPPED_ADDRESS = 0x0001,
    ATTR_CHANGE_REQUEST = 0x0003,
    ATTR_XOR_MAPPED_ADDRESS = 0x0020,
    ATTR_RESPONSE_ORIGIN = 0x802b,
    ATTR_OTHER_ADDRESS = 0x802c,
};

void Put16(std::vector<uint8_t> &out, uint16_t v)
{
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

void Put32(std::vector<uint8_t> &out, uint32_t v)
{
    Put16(out, static_cast<uint16_t>(v >> 16));
    Put16(out, static_cast<uint16_t>(v));
}

uint16_t Get16(const uint8_t *p)
{
    return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

uint32_t Get32(const uint8_t *p)
{
    return (static_cast<uint32_t>(Get16(p)) << 16) | Get16(p + 2);
}

/* An address attribute (MAPPED-ADDRESS and the ones of RFC 5780 share its format); `mask`
 * XORs port and address (XOR-MAPPED-ADDRESS), 0 for the others. */
void PutAddress(std::vector<uint8_t> &out, uint16_t type, const InetSocketAddress &a, uint32_t mask)
{
    Put16(out, type);
    Put16(out, 8);
    out.push_back(0);
    out.push_back(FAMILY_IPV4);
    Put16(out, static_cast<uint16_t>(a.GetPort() ^ (mask >> 16)));
    Put32(out, a.GetIpv4().Get() ^ mask);
}

bool GetAddress(const uint8_t *value, size_t len, uint32_t mask, InetSocketAddress &out)
{
    if (len != 8 || value[1] != FAMILY_IPV4) {
        return false; // IPv6 (family 2) is not used by the probe
    }
    out = InetSocketAddress(Ipv4Address(Get32(value + 4) ^ mask),
                            static_cast<uint16_t>(Get16(value + 2) ^ (mask >> 16)));
    return true;
}

} // namespace

std::vector<uint8_t> LispStunMessage::Encode() const
{
    std::vector<uint8_t> out;
    Put16(out, type);
    Put16(out, 0); // the attributes' length, below
    Put32(out, MAGIC_COOKIE);
    out.insert(out.end(), transaction.begin(), transaction.end());
    if (type == BINDING_REQUEST) {
        if (changeRequest) {
            Put16(out, ATTR_CHANGE_REQUEST);
            Put16(out, 4);
            Put32(out, changeRequest & (CHANGE_IP | CHANGE_PORT));
        }
    } else {
        PutAddress(out, ATTR_MAPPED_ADDRESS, mapped, 0);
        PutAddress(out, ATTR_XOR_MAPPED_ADDRESS, mapped, MAGIC_COOKIE);
        if (hasResponseOrigin) {
            PutAddress(out, ATTR_RESPONSE_ORIGIN, responseOrigin, 0);
        }
        if (hasOtherAddress) {
            PutAddress(out, ATTR_OTHER_ADDRESS, otherAddress, 0);
        }
    }
    const size_t attributes = out.size() - HEADER_LEN;
    out[2] = static_cast<uint8_t>(attributes >> 8);
    out[3] = static_cast<uint8_t>(attributes);
    return out;
}

bool LispStunMessage::Decode(const uint8_t *bytes, size_t len, LispStunMessage &out)
{
    if (len < HEADER_LEN || Get32(bytes + 4) != MAGIC_COOKIE) {
        return false;
    }
    out = LispStunMessage();
    out.type = Get16(bytes);
    if (out.type != BINDING_REQUEST && out.type != BINDING_SUCCESS) {
        return false;
    }
    const size_t length = Get16(bytes + 2);
    if (length % 4 != 0 || length != len - HEADER_LEN) {
        return false;
    }
    std::copy(bytes + 8, bytes + HEADER_LEN, out.transaction.begin());
    bool xorMapped = false;
    for (size_t at = HEADER_LEN; at < len;) {
        if (len - at < 4) {
            return false;
        }
        const uint16_t type = Get16(bytes + at);
        const size_t valueLen = Get16(bytes + at + 2);
        const size_t padded = (valueLen + 3) & ~size_t(3);
        const uint8_t *value = bytes + at + 4;
        if (len - at - 4 < padded) {
            return false;
        }
        bool ok = true;
        switch (type) {
        case ATTR_CHANGE_REQUEST:
            ok = valueLen == 4;
            out.changeRequest = ok ? static_cast<uint8_t>(value[3] & (CHANGE_IP | CHANGE_PORT)) : 0;
            break;
        case ATTR_MAPPED_ADDRESS:
            if (!xorMapped) {
                ok = GetAddress(value, valueLen, 0, out.mapped);
                out.hasMapped = ok;
            }
            break;
        case ATTR_XOR_MAPPED_ADDRESS:
            ok = GetAddress(value, valueLen, MAGIC_COOKIE, out.mapped);
            out.hasMapped = xorMapped = ok;
            break;
        case ATTR_RESPONSE_ORIGIN:
            ok = out.hasResponseOrigin = GetAddress(value, valueLen, 0, out.responseOrigin);
            break;
        case ATTR_OTHER_ADDRESS:
            ok = out.hasOtherAddress = GetAddress(value, valueLen, 0, out.otherAddress);
            break;
        default:
            ok = type >= 0x8000; // comprehension-optional: skipped
            break;
        }
        if (!ok) {
            return false;
        }
        at += 4 + padded;
    }
    return out.type == BINDING_REQUEST || out.hasMapped;
}

} // namespace ns3
