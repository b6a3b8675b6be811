/*
 * lisp-stun-message.h - the STUN Binding messages of the NAT behaviour probe
 * (LispStunServer, LispStunClient): RFC 5389 wire format with the RFC 5780 attributes,
 * IPv4 only, no authentication or FINGERPRINT, so that Wireshark dissects the probe.
 *
 *   header      type (0x0001 Binding Request, 0x0101 Binding Success Response), length of
 *               the attributes, magic cookie 0x2112A442, 96-bit transaction ID
 *   attributes  type, length, value padded to 4 bytes:
 *     CHANGE-REQUEST     0x0003 (request)  flags 0x4 change IP, 0x2 change port (RFC 5780)
 *     MAPPED-ADDRESS     0x0001 (response) the request's source as the server saw it
 *     XOR-MAPPED-ADDRESS 0x0020 (response) the same, XORed with the cookie (RFC 5389)
 *     RESPONSE-ORIGIN    0x802b (response) the address and port the response left from
 *     OTHER-ADDRESS      0x802c (response) the server's alternate address and port
 * Decoding is bounds-checked; unknown comprehension-optional attributes are skipped, and an
 * unknown comprehension-required one (type < 0x8000) fails the decode.
 */
#ifndef LISP_STUN_MESSAGE_H
#define LISP_STUN_MESSAGE_H

#include "ns3/inet-socket-address.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

/** \ingroup lisp One STUN Binding Request or Success Response (see the file comment). */
struct LispStunMessage {
    static const uint16_t BINDING_REQUEST = 0x0001;
    static const uint16_t BINDING_SUCCESS = 0x0101;
    static const uint8_t CHANGE_IP = 0x04;
    static const uint8_t CHANGE_PORT = 0x02;
    static const uint16_t DEFAULT_PORT = 3478;

    uint16_t type = BINDING_REQUEST;
    std::array<uint8_t, 12> transaction{};
    uint8_t changeRequest = 0; // CHANGE_IP | CHANGE_PORT; a request carries it when not 0
    bool hasMapped = false;    // response: mapped (from XOR-MAPPED-ADDRESS, else MAPPED)
    InetSocketAddress mapped{Ipv4Address::GetAny(), 0};
    bool hasResponseOrigin = false;
    InetSocketAddress responseOrigin{Ipv4Address::GetAny(), 0};
    bool hasOtherAddress = false;
    InetSocketAddress otherAddress{Ipv4Address::GetAny(), 0};

    /** The wire bytes: a request carries CHANGE-REQUEST when changeRequest is not 0; a
     * response carries MAPPED-ADDRESS and XOR-MAPPED-ADDRESS, and the others it has. */
    std::vector<uint8_t> Encode() const;
    /** Decode `len` bytes; false when they are not a well-formed Binding Request or
     * Success Response (then `out` is unspecified). */
    static bool Decode(const uint8_t *bytes, size_t len, LispStunMessage &out);
};

} // namespace ns3

#endif /* LISP_STUN_MESSAGE_H */
