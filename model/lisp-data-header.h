/*
 * lisp-data-header.h - the 8-byte LISP data header (RFC 9300 section 5.3) as an ns3::Header.
 *
 * The xTR engine writes the header; the adapter only carries its bytes. It exists so that
 * an encapsulated packet can be the EID packet itself with this header added, as ns-3's
 * own tunnels do, instead of a new packet holding a copy of every byte (see
 * LispEngineApp::PacketOf). With Packet::EnablePrinting, Print shows the decoded fields.
 */
#ifndef LISP_DATA_HEADER_H
#define LISP_DATA_HEADER_H

#include "lisp_data.h"

#include "ns3/header.h"

#include <array>
#include <cstdint>

namespace ns3
{

/**
 * \ingroup lisp
 * The LISP data header's 8 bytes, as the engine wrote them.
 */
class LispDataHeader : public Header
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    LispDataHeader();
    /** The header in bytes[0..8). */
    explicit LispDataHeader(const uint8_t *bytes);

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream &os) const override;

  private:
    std::array<uint8_t, LISP_DATA_HDR_LEN> m_bytes;
};

} // namespace ns3

#endif /* LISP_DATA_HEADER_H */
