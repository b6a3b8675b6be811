/*
 * lisp-stun-server.h - the server half of the NAT behaviour probe: a STUN server in the
 * manner of RFC 5780 with two IPv4 addresses and two ports (lisp-stun-message.h).
 *
 * It listens on all four combinations of PrimaryAddress/AlternateAddress and
 * PrimaryPort/AlternatePort. A Binding Request is answered with the source address and
 * port it came from (XOR-MAPPED-ADDRESS and MAPPED-ADDRESS), the server's other address
 * and port (OTHER-ADDRESS: the alternate address and port) and the address and port the
 * answer leaves from (RESPONSE-ORIGIN). The answer leaves from the address and port the
 * request came to, or, as the request's CHANGE-REQUEST asks, from the other address and/or
 * the other port: that is how the client tests a NAT's filtering. The node must own both
 * addresses.
 */
#ifndef LISP_STUN_SERVER_H
#define LISP_STUN_SERVER_H

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/ptr.h"

#include <array>
#include <cstdint>

namespace ns3
{

class Socket;
class Packet;

/** \ingroup lisp A STUN server with two addresses and two ports (RFC 5780). */
class LispStunServer : public Application
{
  public:
    static TypeId GetTypeId();
    LispStunServer();
    ~LispStunServer() override;

    /** Binding Requests answered so far. */
    uint64_t GetAnswered() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void Receive(Ptr<Socket> socket);
    /** The socket bound to (address index a, port index p): index 2 * a + p. */
    Ptr<Socket> SocketOf(unsigned a, unsigned p) const;
    /** Address 0 (primary) or 1 (alternate). */
    Ipv4Address AddressAt(unsigned a) const;
    /** Port 0 (primary) or 1 (alternate). */
    uint16_t PortAt(unsigned p) const;

    Ipv4Address m_primaryAddress;
    Ipv4Address m_alternateAddress;
    uint16_t m_primaryPort;
    uint16_t m_alternatePort;
    std::array<Ptr<Socket>, 4> m_sockets;
    uint64_t m_answered;
};

} // namespace ns3

#endif /* LISP_STUN_SERVER_H */
