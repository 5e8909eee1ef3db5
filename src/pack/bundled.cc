// The conformance packs shipped with vigil: AWS's sample templates from awslabs/aws-config-rules
// (CC0, packs/LICENSE-aws-config-rules-CC0), embedded byte for byte.
#include <fstream>

#include "common/strings.h"
#include "ingest/input.h"
#include "pack/pack.h"

namespace vigil::pack {

// Generated from packs/*.yaml, in the order of src/pack/CMakeLists.txt.
extern const char kPack0[], kPack1[], kPack2[], kPack3[], kPack4[], kPack5[], kPack6[], kPack7[],
    kPack8[], kPack9[], kPack10[], kPack11[], kPack12[], kPack13[], kPack14[];

namespace {

constexpr std::string_view kPrefix = "Operational-Best-Practices-for-";

const BundledPack kPacks[] = {
    {"aws-well-architected-security-pillar",
     "Operational-Best-Practices-for-AWS-Well-Architected-Security-Pillar.yaml",
     "AWS Well-Architected Security Pillar", kPack0},
    {"amazon-s3-with-remediation", "Operational-Best-Practices-for-Amazon-S3-with-Remediation.yaml",
     "Amazon S3 with Remediation", kPack1},
    {"cis-aws-fb-v1.3-level1", "Operational-Best-Practices-for-CIS-AWS-FB-v1.3-Level1.yaml",
     "CIS AWS Foundations 1.3 Level 1 (FB template)", kPack2},
    {"cis-aws-fb-v1.3-level2", "Operational-Best-Practices-for-CIS-AWS-FB-v1.3-Level2.yaml",
     "CIS AWS Foundations 1.3 Level 2 (FB template)", kPack3},
    {"cis-aws-v1.3-level1", "Operational-Best-Practices-for-CIS-AWS-v1.3-Level1.yaml",
     "CIS AWS Foundations 1.3 Level 1", kPack4},
    {"cis-aws-v1.3-level2", "Operational-Best-Practices-for-CIS-AWS-v1.3-Level2.yaml",
     "CIS AWS Foundations 1.3 Level 2", kPack5},
    {"cis-aws-v1.4-level1", "Operational-Best-Practices-for-CIS-AWS-v1.4-Level1.yaml",
     "CIS AWS Foundations 1.4 Level 1", kPack6},
    {"cis-aws-v1.4-level2", "Operational-Best-Practices-for-CIS-AWS-v1.4-Level2.yaml",
     "CIS AWS Foundations 1.4 Level 2", kPack7},
    {"cis", "Operational-Best-Practices-for-CIS.yaml", "CIS (legacy sample pack)", kPack8},
    {"hipaa-security", "Operational-Best-Practices-for-HIPAA-Security.yaml", "HIPAA Security",
     kPack9},
    {"nist-800-53-rev-5", "Operational-Best-Practices-for-NIST-800-53-rev-5.yaml",
     "NIST 800-53 Rev 5", kPack10},
    {"pci-dss-v4.0-excluding-global-resourcetypes",
     "Operational-Best-Practices-for-PCI-DSS-v4.0-excluding-global-resourcetypes.yaml",
     "PCI DSS 4.0 (excluding global resource types)", kPack11},
    {"pci-dss-v4.0-including-global-resourcetypes",
     "Operational-Best-Practices-for-PCI-DSS-v4.0-including-global-resourcetypes.yaml",
     "PCI DSS 4.0 (including global resource types)", kPack12},
    {"pci-dss", "Operational-Best-Practices-for-PCI-DSS.yaml", "PCI DSS 3.2.1", kPack13},
    {"custom-conformance-pack", "custom-conformance-pack.yaml", "Custom conformance pack (sample)",
     kPack14},
};

// Other names users reach for.
const std::pair<std::string_view, std::string_view> kAliases[] = {
    {"pci-dss-v3.2.1", "pci-dss"},
    {"pci-dss-3.2.1", "pci-dss"},
    {"pci-dss-v4.0", "pci-dss-v4.0-including-global-resourcetypes"},
    {"cis-aws-v1.4", "cis-aws-v1.4-level1"},
    {"nist-800-53", "nist-800-53-rev-5"},
    {"hipaa", "hipaa-security"},
    {"well-architected-security", "aws-well-architected-security-pillar"},
};

}  // namespace

std::span<const BundledPack> BundledPacks() { return kPacks; }

const BundledPack* FindBundledPack(std::string_view name) {
  std::string want = ToLower(Trim(name));
  if (want.ends_with(".yaml")) want.resize(want.size() - 5);
  if (want.starts_with(ToLower(kPrefix))) want = want.substr(kPrefix.size());
  for (const auto& [alias, target] : kAliases)
    if (want == alias) want = std::string(target);
  for (const auto& p : kPacks) {
    if (p.name == want) return &p;
    std::string stem = ToLower(p.file.substr(0, p.file.size() - 5));
    if (stem.starts_with(ToLower(kPrefix))) stem = stem.substr(kPrefix.size());
    if (stem == want) return &p;
  }
  return nullptr;
}

Result<Pack> LoadPackArg(std::string_view arg, LoadOptions options) {
  const bool looks_like_file = arg.find('/') != std::string_view::npos || arg.ends_with(".yaml") ||
                               arg.ends_with(".yml") || arg.ends_with(".json") ||
                               arg.ends_with(".template");
  std::ifstream probe{std::string(arg)};
  if (probe.good() || looks_like_file) {
    auto text = ingest::ReadInput(std::string(arg));
    if (!text.ok()) return text.status();
    // A bundled template given by path keeps its framework title.
    if (const BundledPack* b = FindBundledPack(std::string_view(arg).substr(
            arg.find_last_of('/') == std::string_view::npos ? 0 : arg.find_last_of('/') + 1));
        b != nullptr && options.framework.empty()) {
      options.framework = std::string(b->framework);
      if (options.name.empty()) options.name = std::string(b->name);
    }
    return LoadPack(arg, *text, options);
  }
  const BundledPack* b = FindBundledPack(arg);
  if (b == nullptr) {
    std::string names;
    for (const auto& p : kPacks) names += (names.empty() ? "" : ", ") + std::string(p.name);
    return Status::Error("no bundled conformance pack or template file '" + std::string(arg) +
                         "' (bundled: " + names + "; see `vigil packs list`)");
  }
  if (options.name.empty()) options.name = std::string(b->name);
  if (options.framework.empty()) options.framework = std::string(b->framework);
  return LoadPack(std::string(b->file), b->text, options);
}

}  // namespace vigil::pack
