/*
 * lisp-stun-server.cc - the server half of the NAT behaviour probe (lisp-stun-server.h).
 */
#include "lisp-stun-server.h"

#include "lisp-stun-message.h"

#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LispStunServer");

NS_OBJECT_ENSURE_REGISTERED(LispStunServer);

TypeId LispStunServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LispStunServer")
            .SetParent<Application>()
            .SetGroupName("Lisp")
            .AddConstructor<LispStunServer>()
            .AddAttribute("PrimaryAddress", "The address clients send their first request to.",
                          Ipv4AddressValue(),
                          MakeIpv4AddressAccessor(&LispStunServer::m_primaryAddress),
                          MakeIpv4AddressChecker())
            .AddAttribute("AlternateAddress",
                          "The other address of the server (OTHER-ADDRESS; answers to a "
                          "change-IP request leave from it).",
                          Ipv4AddressValue(),
                          MakeIpv4AddressAccessor(&LispStunServer::m_alternateAddress),
                          MakeIpv4AddressChecker())
            .AddAttribute("PrimaryPort", "The primary UDP port.",
                          UintegerValue(LispStunMessage::DEFAULT_PORT),
                          MakeUintegerAccessor(&LispStunServer::m_primaryPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("AlternatePort",
                          "The other UDP port (answers to a change-port request leave from it).",
                          UintegerValue(LispStunMessage::DEFAULT_PORT + 1),
                          MakeUintegerAccessor(&LispStunServer::m_alternatePort),
                          MakeUintegerChecker<uint16_t>(1));
    return tid;
}

LispStunServer::LispStunServer()
    : m_primaryPort(LispStunMessage::DEFAULT_PORT),
      m_alternatePort(LispStunMessage::DEFAULT_PORT + 1), m_answered(0)
{
    NS_LOG_FUNCTION(this);
}

LispStunServer::~LispStunServer()
{
    NS_LOG_FUNCTION(this);
}

uint64_t LispStunServer::GetAnswered() const
{
    return m_answered;
}

void LispStunServer::DoDispose()
{
    StopApplication();
    Application::DoDispose();
}

Ipv4Address LispStunServer::AddressAt(unsigned a) const
{
    return a ? m_alternateAddress : m_primaryAddress;
}

uint16_t LispStunServer::PortAt(unsigned p) const
{
    return p ? m_alternatePort : m_primaryPort;
}

Ptr<Socket> LispStunServer::SocketOf(unsigned a, unsigned p) const
{
    return m_sockets[2 * a + p];
}

void LispStunServer::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(AddressAt(0) == AddressAt(1) || PortAt(0) == PortAt(1),
                    "LispStunServer: the primary and alternate addresses and ports must differ");
    for (unsigned a = 0; a < 2; a++) {
        for (unsigned p = 0; p < 2; p++) {
            Ptr<Socket> socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
            NS_ABORT_MSG_IF(socket->Bind(InetSocketAddress(AddressAt(a), PortAt(p))) != 0,
                            "LispStunServer: cannot bind " << AddressAt(a) << ":" << PortAt(p));
            socket->SetRecvCallback(MakeCallback(&LispStunServer::Receive, this));
            m_sockets[2 * a + p] = socket;
        }
    }
}

void LispStunServer::StopApplication()
{
    NS_LOG_FUNCTION(this);
    for (Ptr<Socket> &socket : m_sockets) {
        if (socket) {
            socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
            socket->Close();
            socket = nullptr;
        }
    }
}

void LispStunServer::Receive(Ptr<Socket> socket)
{
    unsigned a = 0;
    unsigned p = 0;
    for (unsigned i = 0; i < m_sockets.size(); i++) {
        if (m_sockets[i] == socket) {
            a = i / 2;
            p = i % 2;
        }
    }
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from)) {
        std::vector<uint8_t> bytes(packet->GetSize());
        packet->CopyData(bytes.data(), bytes.size());
        LispStunMessage request;
        if (!LispStunMessage::Decode(bytes.data(), bytes.size(), request) ||
            request.type != LispStunMessage::BINDING_REQUEST) {
            NS_LOG_INFO("not a Binding Request from " << from << ", ignored");
            continue;
        }
        const unsigned ra = (request.changeRequest & LispStunMessage::CHANGE_IP) ? 1 - a : a;
        const unsigned rp = (request.changeRequest & LispStunMessage::CHANGE_PORT) ? 1 - p : p;
        LispStunMessage response;
        response.type = LispStunMessage::BINDING_SUCCESS;
        response.transaction = request.transaction;
        response.hasMapped = true;
        response.mapped = InetSocketAddress::ConvertFrom(from);
        response.hasResponseOrigin = true;
        response.responseOrigin = InetSocketAddress(AddressAt(ra), PortAt(rp));
        response.hasOtherAddress = true;
        response.otherAddress = InetSocketAddress(AddressAt(1), PortAt(1));
        const std::vector<uint8_t> wire = response.Encode();
        NS_LOG_INFO("Binding Request from "
                    << response.mapped.GetIpv4() << ":" << response.mapped.GetPort() << " to "
                    << AddressAt(a) << ":" << PortAt(p) << ", answered from " << AddressAt(ra)
                    << ":" << PortAt(rp));
        SocketOf(ra, rp)->SendTo(Create<Packet>(wire.data(), wire.size()), 0, from);
        m_answered++;
    }
}

} // namespace ns3
