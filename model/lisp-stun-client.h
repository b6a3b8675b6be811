/*
 * lisp-stun-client.h - the client half of the NAT behaviour probe: the behaviour
 * discovery tests of RFC 5780 (section 4) against a LispStunServer (or any RFC 5780
 * server), and the classification they give.
 *
 * Mapping tests, from one local port:
 *   I   Binding Request to the primary address and port: mapped address M1, and the
 *       server's other address and port (OTHER-ADDRESS);
 *   II  to the other address, primary port: M2. M2 == M1: endpoint-independent mapping;
 *   III to the other address and port: M3. M3 == M2: address-dependent, else address-and-
 *       port-dependent mapping.
 * Filtering tests, from a second local port (so that the mapping tests' requests to the
 * other address and port have opened nothing for them):
 *   I   Binding Request to the primary address and port (the mapping to test);
 *   II  the same with CHANGE-REQUEST "change IP and port": an answer (from the other
 *       address and port) means endpoint-independent filtering;
 *   III the same with "change port": an answer means address-dependent filtering, none
 *       address-and-port-dependent filtering.
 * A test sends up to "Attempts" requests, one every "ResponseTimeout"; a filtering test
 * II or III left unanswered that long counts as filtered. So ResponseTimeout must exceed
 * the round trip to the server, and be shorter than the NAT's mapping lifetime (all tests
 * of one phase must use the same mapping). A mapping test or filtering test I left
 * unanswered ends the probe without a result (UDP blocked or no server).
 *
 * The result names RFC 4787's behaviours (EIM/ADM/APDM, EIF/ADF/APDF) and RFC 3489's
 * class: full cone (EIM+EIF), restricted cone (EIM+ADF), port-restricted cone (EIM+APDF),
 * symmetric (any other mapping); "no NAT" when the mapped address is the client's own.
 */
#ifndef LISP_STUN_CLIENT_H
#define LISP_STUN_CLIENT_H

#include "lisp-stun-message.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/inet-socket-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <string>

namespace ns3
{

class Socket;
class UniformRandomVariable;

/** \ingroup lisp The RFC 5780 NAT behaviour discovery client (see the file comment). */
class LispStunClient : public Application
{
  public:
    /** A mapping or filtering behaviour (RFC 4787). */
    enum Behaviour {
        UNKNOWN,
        ENDPOINT_INDEPENDENT,
        ADDRESS_DEPENDENT,
        ADDRESS_PORT_DEPENDENT,
    };

    /** What the probe found. */
    struct Result {
        bool complete = false; // every test needed got its answer or its timeout
        std::string error;     // why not complete
        bool natted = false;   // the mapped address is not the client's own
        Behaviour mapping = UNKNOWN;
        Behaviour filtering = UNKNOWN;
        InetSocketAddress local{Ipv4Address::GetAny(), 0}; // the mapping tests' socket
        InetSocketAddress mapped[3] = {{Ipv4Address::GetAny(), 0},
                                       {Ipv4Address::GetAny(), 0},
                                       {Ipv4Address::GetAny(), 0}}; // tests I, II, III

        /** "EIM", "ADM", "APDM" ("?" unknown). */
        std::string MappingName() const;
        /** "EIF", "ADF", "APDF" ("?" unknown). */
        std::string FilteringName() const;
        /** "full cone", "restricted cone", "port-restricted cone", "symmetric", "no NAT",
         * or "unknown" when incomplete. */
        std::string Rfc3489Name() const;
    };

    /** Signature of the "Classified" trace source. */
    typedef void (*ResultCallback)(const Result &result);

    static TypeId GetTypeId();
    LispStunClient();
    ~LispStunClient() override;

    /** Fixed random stream for the transaction IDs. \return streams used (1) */
    int64_t AssignStreams(int64_t stream);

    /** The result (complete once "Classified" fired). */
    const Result &GetResult() const;
    /** Whether the probe has finished (with or without a result). */
    bool IsDone() const;

  protected:
    void DoDispose() override;

  private:
    enum Step {
        MAPPING_I,
        MAPPING_II,
        MAPPING_III,
        FILTERING_I,
        FILTERING_II,
        FILTERING_III,
        DONE,
    };

    void StartApplication() override;
    void StopApplication() override;
    void Begin(Step step);
    void SendRequest();
    void Timeout();
    void Receive(Ptr<Socket> socket);
    void Answered(const LispStunMessage &response);
    void Finish(const std::string &error);
    bool OwnsAddress(Ipv4Address address) const;

    /* attributes */
    Ipv4Address m_serverAddress;
    uint16_t m_serverPort;
    Time m_responseTimeout;
    uint32_t m_attempts;

    Ptr<UniformRandomVariable> m_rng;
    Ptr<Socket> m_mappingSocket;
    Ptr<Socket> m_filteringSocket;
    Step m_step;
    uint32_t m_sent; // requests of the current test so far
    LispStunMessage m_request;
    InetSocketAddress m_other{Ipv4Address::GetAny(), 0}; // the server's OTHER-ADDRESS
    EventId m_timer;
    Result m_result;
    TracedCallback<const Result &> m_classified;
};

} // namespace ns3

#endif /* LISP_STUN_CLIENT_H */
