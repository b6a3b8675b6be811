/*
 * lisp-stun-client.cc - the RFC 5780 NAT behaviour discovery client (lisp-stun-client.h).
 */
#include "lisp-stun-client.h"

#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LispStunClient");

NS_OBJECT_ENSURE_REGISTERED(LispStunClient);

namespace
{

const char *Abbreviation(LispStunClient::Behaviour b, char kind)
{
    switch (b) {
    case LispStunClient::ENDPOINT_INDEPENDENT:
        return kind == 'M' ? "EIM" : "EIF";
    case LispStunClient::ADDRESS_DEPENDENT:
        return kind == 'M' ? "ADM" : "ADF";
    case LispStunClient::ADDRESS_PORT_DEPENDENT:
        return kind == 'M' ? "APDM" : "APDF";
    default:
        return "?";
    }
}

bool SameEndpoint(const InetSocketAddress &a, const InetSocketAddress &b)
{
    return a.GetIpv4() == b.GetIpv4() && a.GetPort() == b.GetPort();
}

const char *const STEP_NAMES[] = {"mapping test I",   "mapping test II",   "mapping test III",
                                  "filtering test I", "filtering test II", "filtering test III"};

} // namespace

std::string LispStunClient::Result::MappingName() const
{
    return Abbreviation(mapping, 'M');
}

std::string LispStunClient::Result::FilteringName() const
{
    return Abbreviation(filtering, 'F');
}

std::string LispStunClient::Result::Rfc3489Name() const
{
    if (!complete) {
        return "unknown";
    }
    if (!natted) {
        return "no NAT";
    }
    if (mapping != ENDPOINT_INDEPENDENT) {
        return "symmetric";
    }
    switch (filtering) {
    case ENDPOINT_INDEPENDENT:
        return "full cone";
    case ADDRESS_DEPENDENT:
        return "restricted cone";
    default:
        return "port-restricted cone";
    }
}

TypeId LispStunClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LispStunClient")
            .SetParent<Application>()
            .SetGroupName("Lisp")
            .AddConstructor<LispStunClient>()
            .AddAttribute("ServerAddress", "The STUN server's primary address.", Ipv4AddressValue(),
                          MakeIpv4AddressAccessor(&LispStunClient::m_serverAddress),
                          MakeIpv4AddressChecker())
            .AddAttribute("ServerPort", "The STUN server's primary port.",
                          UintegerValue(LispStunMessage::DEFAULT_PORT),
                          MakeUintegerAccessor(&LispStunClient::m_serverPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("ResponseTimeout",
                          "How long a test waits for an answer before it sends again or, "
                          "after the last attempt, counts as unanswered. An unanswered "
                          "filtering test II or III means the NAT filtered the answer, so "
                          "this must exceed the round trip to the server (and stay well "
                          "under the NAT's mapping lifetime).",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&LispStunClient::m_responseTimeout),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("Attempts", "Requests a test sends, one per ResponseTimeout.",
                          UintegerValue(2), MakeUintegerAccessor(&LispStunClient::m_attempts),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("Classified",
                            "The probe finished (result.complete says whether it classified "
                            "the NAT).",
                            MakeTraceSourceAccessor(&LispStunClient::m_classified),
                            "ns3::LispStunClient::ResultCallback");
    return tid;
}

LispStunClient::LispStunClient()
    : m_serverPort(LispStunMessage::DEFAULT_PORT), m_attempts(2), m_step(DONE), m_sent(0)
{
    NS_LOG_FUNCTION(this);
    m_rng = CreateObject<UniformRandomVariable>();
}

LispStunClient::~LispStunClient()
{
    NS_LOG_FUNCTION(this);
}

int64_t LispStunClient::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

const LispStunClient::Result &LispStunClient::GetResult() const
{
    return m_result;
}

bool LispStunClient::IsDone() const
{
    return m_step == DONE;
}

void LispStunClient::DoDispose()
{
    StopApplication();
    m_rng = nullptr;
    Application::DoDispose();
}

void LispStunClient::StartApplication()
{
    NS_LOG_FUNCTION(this);
    m_result = Result();
    for (Ptr<Socket> *socket : {&m_mappingSocket, &m_filteringSocket}) {
        *socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
        NS_ABORT_MSG_IF((*socket)->Bind() != 0, "LispStunClient: cannot bind a UDP socket");
        (*socket)->SetRecvCallback(MakeCallback(&LispStunClient::Receive, this));
    }
    Address local;
    m_mappingSocket->GetSockName(local);
    m_result.local = InetSocketAddress::ConvertFrom(local);
    Begin(MAPPING_I);
}

void LispStunClient::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_timer.Cancel();
    for (Ptr<Socket> *socket : {&m_mappingSocket, &m_filteringSocket}) {
        if (*socket) {
            (*socket)->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
            (*socket)->Close();
            *socket = nullptr;
        }
    }
    m_step = DONE;
}

void LispStunClient::Begin(Step step)
{
    m_step = step;
    m_sent = 0;
    m_request = LispStunMessage();
    for (uint8_t &byte : m_request.transaction) {
        byte = static_cast<uint8_t>(m_rng->GetInteger(0, 255));
    }
    if (step == FILTERING_II) {
        m_request.changeRequest = LispStunMessage::CHANGE_IP | LispStunMessage::CHANGE_PORT;
    } else if (step == FILTERING_III) {
        m_request.changeRequest = LispStunMessage::CHANGE_PORT;
    }
    SendRequest();
}

void LispStunClient::SendRequest()
{
    InetSocketAddress to(m_serverAddress, m_serverPort);
    if (m_step == MAPPING_II) {
        to = InetSocketAddress(m_other.GetIpv4(), m_serverPort);
    } else if (m_step == MAPPING_III) {
        to = m_other;
    }
    Ptr<Socket> socket = m_step <= MAPPING_III ? m_mappingSocket : m_filteringSocket;
    const std::vector<uint8_t> wire = m_request.Encode(); // a retransmission is the same
    NS_LOG_INFO(STEP_NAMES[m_step] << ": request " << m_sent + 1 << " to " << to.GetIpv4() << ":"
                                   << to.GetPort());
    socket->SendTo(Create<Packet>(wire.data(), wire.size()), 0, to);
    m_sent++;
    m_timer = Simulator::Schedule(m_responseTimeout, &LispStunClient::Timeout, this);
}

void LispStunClient::Timeout()
{
    if (m_sent < m_attempts) {
        SendRequest();
        return;
    }
    NS_LOG_INFO(STEP_NAMES[m_step] << ": no answer");
    switch (m_step) {
    case FILTERING_II:
        Begin(FILTERING_III);
        break;
    case FILTERING_III:
        m_result.filtering = ADDRESS_PORT_DEPENDENT;
        Finish("");
        break;
    default:
        Finish(std::string("no answer to ") + STEP_NAMES[m_step]);
        break;
    }
}

void LispStunClient::Receive(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from)) {
        std::vector<uint8_t> bytes(packet->GetSize());
        packet->CopyData(bytes.data(), bytes.size());
        LispStunMessage response;
        const bool ours = m_step != DONE &&
                          socket == (m_step <= MAPPING_III ? m_mappingSocket : m_filteringSocket);
        if (!ours || !LispStunMessage::Decode(bytes.data(), bytes.size(), response) ||
            response.type != LispStunMessage::BINDING_SUCCESS ||
            response.transaction != m_request.transaction) {
            NS_LOG_INFO("stale or foreign datagram from " << from << ", ignored");
            continue;
        }
        Answered(response);
    }
}

void LispStunClient::Answered(const LispStunMessage &response)
{
    m_timer.Cancel();
    NS_LOG_INFO(STEP_NAMES[m_step] << ": mapped " << response.mapped.GetIpv4() << ":"
                                   << response.mapped.GetPort());
    switch (m_step) {
    case MAPPING_I:
        if (!response.hasOtherAddress) {
            Finish("the server has no OTHER-ADDRESS (not an RFC 5780 server)");
            return;
        }
        m_other = response.otherAddress;
        m_result.mapped[0] = response.mapped;
        m_result.natted = !(OwnsAddress(response.mapped.GetIpv4()) &&
                            response.mapped.GetPort() == m_result.local.GetPort());
        Begin(MAPPING_II);
        break;
    case MAPPING_II:
        m_result.mapped[1] = response.mapped;
        if (SameEndpoint(m_result.mapped[1], m_result.mapped[0])) {
            m_result.mapping = ENDPOINT_INDEPENDENT;
            Begin(FILTERING_I);
        } else {
            Begin(MAPPING_III);
        }
        break;
    case MAPPING_III:
        m_result.mapped[2] = response.mapped;
        m_result.mapping = SameEndpoint(m_result.mapped[2], m_result.mapped[1])
                               ? ADDRESS_DEPENDENT
                               : ADDRESS_PORT_DEPENDENT;
        Begin(FILTERING_I);
        break;
    case FILTERING_I:
        Begin(FILTERING_II);
        break;
    case FILTERING_II:
        m_result.filtering = ENDPOINT_INDEPENDENT;
        Finish("");
        break;
    case FILTERING_III:
        m_result.filtering = ADDRESS_DEPENDENT;
        Finish("");
        break;
    default:
        break;
    }
}

void LispStunClient::Finish(const std::string &error)
{
    m_timer.Cancel();
    m_step = DONE;
    m_result.complete = error.empty();
    m_result.error = error;
    NS_LOG_INFO("result: " << (error.empty() ? m_result.Rfc3489Name() : error));
    m_classified(m_result);
}

bool LispStunClient::OwnsAddress(Ipv4Address address) const
{
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    return ipv4 && ipv4->GetInterfaceForAddress(address) >= 0;
}

} // namespace ns3
