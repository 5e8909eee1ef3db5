#include "rules/managed/s3/s3_util.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <utility>
#include <vector>

#include "common/strings.h"

namespace vigil::rules::s3 {
namespace {

constexpr std::array kReadActions{
    S3Action{"s3:GetObject", true},
    S3Action{"s3:GetObjectVersion", true},
    S3Action{"s3:GetObjectTorrent", true},
    S3Action{"s3:GetObjectVersionTorrent", true},
    S3Action{"s3:ListMultipartUploadParts", true},
    S3Action{"s3:ListBucket", false},
    S3Action{"s3:ListBucketVersions", false},
    S3Action{"s3:ListBucketMultipartUploads", false},
};

constexpr std::array kWriteActions{
    S3Action{"s3:PutObject", true},           S3Action{"s3:PutObjectAcl", true},
    S3Action{"s3:PutObjectVersionAcl", true}, S3Action{"s3:DeleteObject", true},
    S3Action{"s3:DeleteObjectVersion", true}, S3Action{"s3:AbortMultipartUpload", true},
    S3Action{"s3:RestoreObject", true},       S3Action{"s3:ReplicateObject", true},
    S3Action{"s3:ReplicateDelete", true},     S3Action{"s3:PutBucketAcl", false},
    S3Action{"s3:PutBucketPolicy", false},    S3Action{"s3:DeleteBucketPolicy", false},
    S3Action{"s3:DeleteBucket", false},
};

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ToLower(a) == ToLower(b);
}

// A policy or ACL in whichever form it arrived, parsed when it was JSON text. Values into a
// moved Document stay valid, so this may be returned by value.
struct Parsed {
  std::shared_ptr<const json::Document> doc;
  json::Value root;
};

// Parses JSON text, remembering the last few results on this thread: the four S3 rules read
// the same bucket policy one after the other.
std::shared_ptr<const json::Document> ParseCached(std::string_view text) {
  struct Entry {
    std::string text;
    std::shared_ptr<const json::Document> doc;
  };
  thread_local std::array<Entry, 4> cache;
  thread_local size_t next = 0;
  for (const Entry& e : cache)
    if (e.doc && e.text == text) return e.doc;
  auto parsed = json::Document::Parse(text);
  if (!parsed.ok()) return nullptr;
  Entry& slot = cache[next++ % cache.size()];
  slot.text.assign(text);
  slot.doc = std::make_shared<const json::Document>(std::move(parsed).value());
  return slot.doc;
}

Parsed ParseJsonish(json::Value v) {
  Parsed out;
  out.root = v;
  // AWS Config sometimes encodes supplementary values twice; two rounds of decoding suffice.
  for (int round = 0; round < 3 && out.root.IsString(); ++round) {
    auto parsed = ParseCached(*out.root.String());
    if (!parsed) return {};
    out.doc = std::move(parsed);
    out.root = out.doc->Root();
  }
  return out;
}

Parsed NormalizePolicy(json::Value v) {
  if (v.IsObject() && !v.Get("policyText").Missing()) v = v.Get("policyText");
  Parsed p = ParseJsonish(v);
  if (p.root.IsObject() && !p.root.Get("policyText").Missing()) {
    // The wrapper itself arrived as JSON text.
    Parsed inner = ParseJsonish(p.root.Get("policyText"));
    if (!inner.doc) inner.doc = std::move(p.doc);  // the inner Value still points into it
    return inner;
  }
  return p;
}

// The policy's statements, whether Statement is one object or an array.
std::vector<json::Value> Statements(json::Value policy) {
  std::vector<json::Value> out;
  const json::Value s = policy.Get("Statement");
  if (s.IsObject()) {
    out.push_back(s);
  } else {
    for (json::Value e : s.Elements())
      if (e.IsObject()) out.push_back(e);
  }
  return out;
}

// A string-or-array policy element as its strings (numbers and booleans spelled as JSON).
std::vector<std::string> Strings(json::Value v) {
  std::vector<std::string> out;
  if (v.IsArray()) {
    for (json::Value e : v.Elements())
      if (!e.IsNull() && !e.Missing()) out.push_back(e.AsText());
  } else if (!v.Missing() && !v.IsNull()) {
    out.push_back(v.AsText());
  }
  return out;
}

bool IsEffect(json::Value stmt, std::string_view effect) {
  auto e = stmt.Get("Effect").String();
  return e && IEquals(*e, effect);
}

std::string StatementLabel(json::Value stmt, size_t index) {
  if (auto sid = stmt.Get("Sid").String(); sid && !sid->empty())
    return "\"" + std::string(*sid) + "\"";
  return std::to_string(index + 1);
}

// ---- Principals -------------------------------------------------------------------------

bool ContainsWildcard(std::string_view s) { return s.find('*') != std::string_view::npos; }

// Whether a Principal element names every principal exactly ("*" as the whole value).
bool PrincipalIsEveryone(json::Value p) {
  if (auto s = p.String()) return *s == "*";
  for (const auto& m : p.Members())
    for (const std::string& v : Strings(m.value))
      if (v == "*") return true;
  return false;
}

// Whether a Principal element is not a fixed set of principals: "*" anywhere, or any principal
// value carrying a wildcard.
bool PrincipalIsWildcard(json::Value p) {
  if (auto s = p.String()) return ContainsWildcard(*s);
  for (const auto& m : p.Members())
    for (const std::string& v : Strings(m.value))
      if (ContainsWildcard(v)) return true;
  return false;
}

std::string Abbreviate(std::string s, size_t max = 60) {
  if (s.size() <= max) return s;
  return TruncateUtf8(s, max - 3) + "...";
}

// For an Allow statement: how it opens the bucket to everyone, or nullopt for fixed principals.
std::optional<std::string> PublicPrincipal(json::Value stmt) {
  if (json::Value np = stmt.Get("NotPrincipal"); !np.Missing()) {
    // Allow + NotPrincipal grants everyone but the listed principals.
    if (PrincipalIsEveryone(np)) return std::nullopt;
    return "NotPrincipal " + Abbreviate(np.ToJson());
  }
  json::Value p = stmt.Get("Principal");
  if (p.Missing() || p.IsNull()) return std::nullopt;
  if (PrincipalIsWildcard(p)) return "Principal " + Abbreviate(p.ToJson());
  return std::nullopt;
}

// For a Deny statement: whether it applies to everyone.
bool DenyAppliesToEveryone(json::Value stmt) {
  if (!stmt.Get("NotPrincipal").Missing()) return false;
  return PrincipalIsEveryone(stmt.Get("Principal"));
}

// ---- Conditions --------------------------------------------------------------------------

bool IsFixedValue(std::string_view v) {
  return !v.empty() && v.find_first_of("*?") == std::string_view::npos &&
         v.find("${") == std::string_view::npos;
}

bool AllOf(const std::vector<std::string>& values, const std::function<bool(std::string_view)>& f) {
  return !values.empty() && std::all_of(values.begin(), values.end(), f);
}

constexpr std::array<std::string_view, 12> kFixingKeys{
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:userid",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
};

constexpr std::array<std::string_view, 5> kFixingOperators{
    "stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike",
};

// Whether some condition of an Allow statement restricts it to fixed, non-public requesters.
// Conditions are ANDed, so one restricting clause is enough.
bool ConditionRestricts(json::Value condition) {
  for (const auto& [op_name, block] : condition.Members()) {
    std::string op = ToLower(op_name);
    if (StartsWith(op, "forallvalues:")) continue;  // true when the key is absent
    if (StartsWith(op, "foranyvalue:")) op = op.substr(std::string_view("foranyvalue:").size());
    if (EndsWith(op, "ifexists")) continue;  // true when the key is absent
    for (const auto& [key_name, values] : block.Members()) {
      const std::string key = ToLower(key_name);
      const std::vector<std::string> vals = Strings(values);
      if (key == "aws:sourceip") {
        if (op == "ipaddress" && AllOf(vals, [](std::string_view v) { return !IsPublicCidr(v); }))
          return true;
        continue;
      }
      if (std::find(kFixingKeys.begin(), kFixingKeys.end(), key) == kFixingKeys.end()) continue;
      if (std::find(kFixingOperators.begin(), kFixingOperators.end(), op) == kFixingOperators.end())
        continue;
      if (AllOf(vals, IsFixedValue)) return true;
    }
  }
  return false;
}

// ---- Actions and resources ---------------------------------------------------------------

// Whether the statement's Action/NotAction covers `action`.
bool CoversAction(json::Value stmt, std::string_view action) {
  if (json::Value a = stmt.Get("Action"); !a.Missing()) {
    for (const std::string& pat : Strings(a))
      if (GlobMatch(pat, action, /*case_insensitive=*/true)) return true;
    return false;
  }
  if (json::Value na = stmt.Get("NotAction"); !na.Missing()) {
    for (const std::string& pat : Strings(na))
      if (GlobMatch(pat, action, /*case_insensitive=*/true)) return false;
    return true;
  }
  return false;
}

// Rewrites an ARN pattern's partition ("aws-cn", "aws-us-gov", ...) to "aws", so that patterns
// from any partition compare against the "arn:aws:s3:::" forms built here.
std::string NormalizeArn(std::string_view pat) {
  if (!StartsWith(pat, "arn:")) return std::string(pat);
  const size_t end = pat.find(':', 4);
  if (end == std::string_view::npos) return std::string(pat);
  const std::string_view partition = pat.substr(4, end - 4);
  if (partition.find_first_of("*?") != std::string_view::npos) return std::string(pat);
  return "arn:aws" + std::string(pat.substr(end));
}

// Whether some string beginning with `prefix` matches the glob `pattern` (case-sensitive).
bool MayMatchUnder(std::string_view pattern, std::string_view prefix) {
  // Fast paths: a pattern that starts with the prefix matches something under it; a pattern
  // without wildcards matches only itself.
  if (pattern.substr(0, prefix.size()) == prefix) return true;
  if (pattern.find_first_of("*?") == std::string_view::npos) return false;
  // States of the glob automaton after reading the prefix; any live state means some
  // continuation can still match.
  std::vector<unsigned char> states(pattern.size() + 1, 0), next(pattern.size() + 1, 0);
  auto close = [&](std::vector<unsigned char>& st) {
    for (size_t i = 0; i < pattern.size(); ++i)
      if (st[i] && pattern[i] == '*') st[i + 1] = 1;
  };
  states[0] = 1;
  close(states);
  for (char c : prefix) {
    std::fill(next.begin(), next.end(), 0);
    bool alive = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (!states[i]) continue;
      if (pattern[i] == '*') {
        next[i] = 1;
        alive = true;
      } else if (pattern[i] == '?' || pattern[i] == c) {
        next[i + 1] = 1;
        alive = true;
      }
    }
    if (!alive) return false;
    close(next);
    states.swap(next);
  }
  return std::find(states.begin(), states.end(), 1) != states.end();
}

struct Target {
  std::string bucket_arn;     // "arn:aws:s3:::b"
  std::string object_prefix;  // "arn:aws:s3:::b/"
  std::string all_objects;    // "arn:aws:s3:::b/*", compared literally
  bool known = false;
};

Target MakeTarget(std::string_view bucket) {
  Target t;
  if (bucket.empty()) return t;
  t.known = true;
  t.bucket_arn = "arn:aws:s3:::" + std::string(bucket);
  t.object_prefix = t.bucket_arn + "/";
  t.all_objects = t.object_prefix + "*";
  return t;
}

std::vector<std::string> ResourcePatterns(json::Value v) {
  std::vector<std::string> out;
  for (const std::string& s : Strings(v)) out.push_back(NormalizeArn(s));
  return out;
}

// Whether an Allow statement grants `action` on some resource of the bucket.
bool AllowTouchesBucket(json::Value stmt, const S3Action& action, const Target& t) {
  if (!t.known) return true;
  if (json::Value r = stmt.Get("Resource"); !r.Missing()) {
    for (const std::string& pat : ResourcePatterns(r)) {
      if (action.object_level ? MayMatchUnder(pat, t.object_prefix) : GlobMatch(pat, t.bucket_arn))
        return true;
    }
    return false;
  }
  if (json::Value nr = stmt.Get("NotResource"); !nr.Missing()) {
    for (const std::string& pat : ResourcePatterns(nr)) {
      if (GlobMatch(pat, action.object_level ? t.all_objects : t.bucket_arn)) return false;
    }
    return true;
  }
  return true;  // no resource element: not valid IAM; read as "everything"
}

// Whether a Deny statement's resources include everything the Allow statement grants `action` on.
bool DenyCoversAllowResources(json::Value deny, json::Value allow, const S3Action& action,
                              const Target& t) {
  if (json::Value nr = deny.Get("NotResource"); !nr.Missing()) {
    if (!t.known) return false;
    for (const std::string& pat : ResourcePatterns(nr)) {
      if (action.object_level ? MayMatchUnder(pat, t.object_prefix) : GlobMatch(pat, t.bucket_arn))
        return false;  // the Deny leaves some of the bucket's resources out
    }
    return true;
  }
  const std::vector<std::string> deny_pats = ResourcePatterns(deny.Get("Resource"));
  if (deny_pats.empty()) return false;
  auto deny_matches = [&](const std::string& subject) {
    return std::any_of(deny_pats.begin(), deny_pats.end(),
                       [&](const std::string& d) { return GlobMatch(d, subject); });
  };
  if (t.known && deny_matches(action.object_level ? t.all_objects : t.bucket_arn)) return true;
  // Otherwise the Deny must cover each of the Allow's resource patterns, taken literally.
  json::Value ar = allow.Get("Resource");
  if (ar.Missing())
    return std::any_of(deny_pats.begin(), deny_pats.end(),
                       [](const std::string& d) { return d == "*"; });
  for (const std::string& pat : ResourcePatterns(ar)) {
    if (t.known &&
        !(action.object_level ? MayMatchUnder(pat, t.object_prefix) : GlobMatch(pat, t.bucket_arn)))
      continue;  // not about this bucket
    if (!deny_matches(pat)) return false;
  }
  return true;
}

// ---- ACLs --------------------------------------------------------------------------------

// "AllUsers" / "AuthenticatedUsers" for a public group grantee spelled any way AWS does.
std::optional<std::string> PublicGroupName(std::string_view s) {
  const std::string l = ToLower(s);
  for (std::string_view group : {"allusers", "authenticatedusers"}) {
    if (l == group || EndsWith(l, std::string("/groups/global/") + std::string(group)))
      return std::string(group == "allusers" ? "AllUsers" : "AuthenticatedUsers");
  }
  return std::nullopt;
}

std::optional<std::string> PublicGrantee(json::Value grantee) {
  if (auto s = grantee.String()) return PublicGroupName(*s);
  for (const auto& [k, v] : grantee.Members()) {
    const std::string key = ToLower(k);
    if (key != "identifier" && key != "uri" && key != "id" && key != "groupuri") continue;
    if (auto s = v.String())
      if (auto g = PublicGroupName(*s)) return g;
  }
  return std::nullopt;
}

// "read", "write", "fullcontrol", "readacp", "writeacp".
std::string NormalizePermission(std::string_view p) {
  std::string out;
  for (char c : ToLower(p))
    if (c != '_' && c != ' ' && c != '-') out.push_back(c);
  return out;
}

bool PermissionGives(std::string_view normalized, AccessKind kind) {
  if (normalized == "fullcontrol") return true;
  if (kind == AccessKind::kRead) return normalized == "read";
  return normalized == "write" || normalized == "writeacp";
}

json::Value GetAny(json::Value obj, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys)
    if (json::Value v = obj.Get(k); !v.Missing()) return v;
  return {};
}

// ---- Block Public Access -----------------------------------------------------------------

bool FlagValue(json::Value v) {
  if (auto b = v.Bool()) return *b;
  if (auto s = v.String()) return IEquals(*s, "true");
  return false;
}

// ---- Encryption ----------------------------------------------------------------------------

bool IsSseAlgorithm(std::string_view v) {
  return v == "AES256" || v == "aws:kms" || v == "aws:kms:dsse";
}

// The single (operator, key, values) clause of a condition, or nullopt when it has zero or
// several clauses.
struct Clause {
  std::string op;   // lower case
  std::string key;  // lower case
  json::Value values;
};
std::optional<Clause> SingleClause(json::Value condition) {
  std::optional<Clause> out;
  int n = 0;
  for (const auto& [op, block] : condition.Members()) {
    for (const auto& [key, values] : block.Members()) {
      ++n;
      out = Clause{ToLower(op), ToLower(key), values};
    }
  }
  if (n != 1) return std::nullopt;
  return out;
}

int CountVariables(std::string_view s) {
  int n = 0;
  for (size_t i = s.find("${"); i != std::string_view::npos; i = s.find("${", i + 2)) ++n;
  return n;
}

int MaxVariables(json::Value v) {
  int best = 0;
  if (auto s = v.String()) return CountVariables(*s);
  for (json::Value e : v.Elements()) best = std::max(best, MaxVariables(e));
  for (const auto& m : v.Members())
    best = std::max({best, CountVariables(m.key), MaxVariables(m.value)});
  return best;
}

}  // namespace

std::span<const S3Action> ActionsFor(AccessKind kind) {
  if (kind == AccessKind::kRead) return kReadActions;
  return kWriteActions;
}

std::string PublicGrant::Describe() const {
  std::string out = source + " grants " + what + " to " + grantee;
  if (!statement.empty()) out += " (statement " + statement + ")";
  return out;
}

std::optional<PublicGrant> FindPublicPolicyGrant(json::Value policy, AccessKind kind,
                                                 std::string_view bucket) {
  const Parsed p = NormalizePolicy(policy);
  if (!p.root.IsObject()) return std::nullopt;
  const std::vector<json::Value> stmts = Statements(p.root);
  const Target target = MakeTarget(bucket);

  std::vector<json::Value> denies;
  for (json::Value s : stmts)
    if (IsEffect(s, "Deny") && DenyAppliesToEveryone(s) && s.Get("Condition").Empty())
      denies.push_back(s);

  for (const S3Action& action : ActionsFor(kind)) {
    for (size_t i = 0; i < stmts.size(); ++i) {
      json::Value s = stmts[i];
      if (!IsEffect(s, "Allow")) continue;
      if (!CoversAction(s, action.name)) continue;
      if (!AllowTouchesBucket(s, action, target)) continue;
      std::optional<std::string> who = PublicPrincipal(s);
      if (!who) continue;
      if (ConditionRestricts(s.Get("Condition"))) continue;
      const bool denied = std::any_of(denies.begin(), denies.end(), [&](json::Value d) {
        return CoversAction(d, action.name) && DenyCoversAllowResources(d, s, action, target);
      });
      if (denied) continue;
      return PublicGrant{"bucket policy", std::string(action.name), *who, StatementLabel(s, i)};
    }
  }
  return std::nullopt;
}

bool PolicyAllowsPublic(json::Value policy, AccessKind kind, std::string_view bucket) {
  return FindPublicPolicyGrant(policy, kind, bucket).has_value();
}

std::optional<PublicGrant> FindPublicAclGrant(json::Value acl, AccessKind kind) {
  const Parsed p = ParseJsonish(acl);
  if (!p.root.IsObject()) return std::nullopt;
  for (std::string_view list_key : {"grantList", "grantSet", "Grants", "grants"}) {
    for (json::Value grant : p.root.Get(list_key).Elements()) {
      const json::Value grantee = GetAny(grant, {"grantee", "Grantee"});
      const json::Value permission = GetAny(grant, {"permission", "Permission"});
      std::optional<std::string> group = PublicGrantee(grantee);
      if (!group) continue;
      const std::string perm_text = permission.AsText();
      if (!PermissionGives(NormalizePermission(perm_text), kind)) continue;
      return PublicGrant{"bucket ACL", perm_text, *group, ""};
    }
  }
  return std::nullopt;
}

bool AclAllowsPublic(json::Value acl, AccessKind kind) {
  return FindPublicAclGrant(acl, kind).has_value();
}

bool IsPublicCidr(std::string_view cidr) {
  cidr = Trim(cidr);
  const size_t slash = cidr.find('/');
  const std::string_view addr = cidr.substr(0, slash);
  const bool v6 = addr.find(':') != std::string_view::npos;
  const int max_bits = v6 ? 128 : 32;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    const std::string_view len = cidr.substr(slash + 1);
    if (len.empty() || len.size() > 3 ||
        !std::all_of(len.begin(), len.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return true;
    bits = std::atoi(std::string(len).c_str());
    if (bits > max_bits) return true;
  }
  if (!v6) {
    // Four decimal octets.
    int parts = 0;
    for (std::string_view octet : Split(addr, '.')) {
      if (octet.empty() || octet.size() > 3 ||
          !std::all_of(octet.begin(), octet.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          std::atoi(std::string(octet).c_str()) > 255)
        return true;
      ++parts;
    }
    if (parts != 4) return true;
    return bits < 8;
  }
  if (addr.empty() || addr.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos)
    return true;
  return bits < 32;
}

std::optional<BlockPublicAccess> ParseBlockPublicAccess(json::Value v) {
  if (!v.IsObject()) return std::nullopt;
  if (json::Value inner =
          GetAny(v, {"PublicAccessBlockConfiguration", "publicAccessBlockConfiguration"});
      inner.IsObject())
    v = inner;
  BlockPublicAccess out;
  for (const auto& [k, value] : v.Members()) {
    const std::string key = ToLower(k);
    if (key == "blockpublicacls")
      out.block_public_acls = FlagValue(value);
    else if (key == "ignorepublicacls")
      out.ignore_public_acls = FlagValue(value);
    else if (key == "blockpublicpolicy")
      out.block_public_policy = FlagValue(value);
    else if (key == "restrictpublicbuckets")
      out.restrict_public_buckets = FlagValue(value);
  }
  return out;
}

BlockPublicAccess BucketBlockPublicAccess(const model::ConfigurationItem& bucket) {
  const Parsed p = ParseJsonish(bucket.Supplementary("PublicAccessBlockConfiguration"));
  return ParseBlockPublicAccess(p.root).value_or(BlockPublicAccess{});
}

std::optional<BlockPublicAccess> AccountBlockPublicAccess(const RuleContext& ctx,
                                                          const model::ConfigurationItem& bucket) {
  // The s3control fact comes first: it is the live API read AWS's own rule makes, and reading it
  // needs no other recorded item, so the bucket is judged without waiting for the whole input.
  if (json::Value fact = ctx.Fact("s3control-get-public-access-block", bucket);
      !fact.Missing() && !fact.IsNull()) {
    const Parsed p = ParseJsonish(fact);
    if (auto bpa = ParseBlockPublicAccess(p.root)) return bpa;
  }
  bool known = false;
  // Account-level settings are global; AWS Config may record the item in any region, which
  // region "" asks for. An environment that only answers per region still finds the item
  // recorded beside the bucket.
  auto items = ctx.env().Items("AWS::S3::AccountPublicAccessBlock", bucket.account_id, "", &known);
  if (items.empty() && !known)
    items = ctx.env().Items("AWS::S3::AccountPublicAccessBlock", bucket.account_id, bucket.region,
                            &known);
  const model::ConfigurationItem* latest = nullptr;
  for (const model::ConfigurationItem* it : items)
    if (it && (!latest || it->capture_time > latest->capture_time)) latest = it;
  if (latest) return ParseBlockPublicAccess(latest->Config()).value_or(BlockPublicAccess{});
  // Recorded, but no item: AWS Config records none when nothing is configured.
  if (known) return BlockPublicAccess{};
  return std::nullopt;
}

Verdict EvaluatePublicAccess(const RuleContext& ctx, const model::ConfigurationItem& bucket,
                             AccessKind kind) {
  const std::string_view name = BucketName(bucket);
  std::optional<PublicGrant> by_policy =
      FindPublicPolicyGrant(bucket.Supplementary("BucketPolicy"), kind, name);
  std::optional<PublicGrant> by_acl =
      FindPublicAclGrant(bucket.Supplementary("AccessControlList"), kind);
  if (!by_policy && !by_acl) return Verdict::Compliant();

  const BlockPublicAccess own = BucketBlockPublicAccess(bucket);
  if (own.restrict_public_buckets) by_policy.reset();
  if (own.ignore_public_acls) by_acl.reset();
  if (!by_policy && !by_acl)
    return Verdict::Compliant("bucket-level Block Public Access neutralises public access");

  const std::optional<BlockPublicAccess> account = AccountBlockPublicAccess(ctx, bucket);
  if (!account) {
    return Verdict::MissingFact("s3control-get-public-access-block",
                                TruncateUtf8((by_policy ? by_policy : by_acl)->Describe() +
                                                 "; account-level Block Public Access is unknown",
                                             256));
  }
  if (account->restrict_public_buckets) by_policy.reset();
  if (account->ignore_public_acls) by_acl.reset();
  if (!by_policy && !by_acl)
    return Verdict::Compliant("account-level Block Public Access neutralises public access");

  std::string why;
  if (by_policy) why = by_policy->Describe();
  if (by_acl) why += (why.empty() ? "" : "; ") + by_acl->Describe();
  return Verdict::NonCompliant(TruncateUtf8(why, 256));
}

bool PolicyDeniesInsecureTransport(json::Value policy, std::string_view bucket) {
  const Parsed p = NormalizePolicy(policy);
  if (!p.root.IsObject()) return false;
  const Target t = MakeTarget(bucket);
  for (json::Value s : Statements(p.root)) {
    if (!IsEffect(s, "Deny") || !DenyAppliesToEveryone(s)) continue;
    // All S3 actions: "*" or "s3:*" (NotAction leaving no S3 action out also qualifies).
    bool all_actions = false;
    if (json::Value a = s.Get("Action"); !a.Missing()) {
      for (const std::string& pat : Strings(a))
        if (GlobMatch(pat, "s3:*", /*case_insensitive=*/true)) all_actions = true;
    } else if (json::Value na = s.Get("NotAction"); !na.Missing()) {
      all_actions = true;
      for (const std::string& pat : Strings(na))
        if (MayMatchUnder(ToLower(pat), "s3:")) all_actions = false;
    }
    if (!all_actions) continue;
    // The bucket and/or its objects.
    bool covers = !t.known;
    if (t.known) {
      if (json::Value r = s.Get("Resource"); !r.Missing()) {
        for (const std::string& pat : ResourcePatterns(r))
          if (GlobMatch(pat, t.bucket_arn) || GlobMatch(pat, t.all_objects)) covers = true;
      } else if (json::Value nr = s.Get("NotResource"); !nr.Missing()) {
        covers = true;
        for (const std::string& pat : ResourcePatterns(nr))
          if (GlobMatch(pat, t.bucket_arn) || MayMatchUnder(pat, t.object_prefix)) covers = false;
      }
    }
    if (!covers) continue;
    const std::optional<Clause> c = SingleClause(s.Get("Condition"));
    if (!c || (c->op != "bool" && c->op != "boolifexists") || c->key != "aws:securetransport")
      continue;
    for (const std::string& v : Strings(c->values))
      if (IEquals(v, "false")) return true;
  }
  return false;
}

bool PolicyRequiresEncryptedPuts(json::Value policy, std::string_view bucket) {
  const Parsed p = NormalizePolicy(policy);
  if (!p.root.IsObject()) return false;
  const Target t = MakeTarget(bucket);
  const S3Action put{"s3:PutObject", true};
  for (json::Value s : Statements(p.root)) {
    if (!IsEffect(s, "Deny") || !DenyAppliesToEveryone(s)) continue;
    if (!CoversAction(s, put.name)) continue;
    if (t.known) {
      bool all_objects = false;
      if (json::Value r = s.Get("Resource"); !r.Missing()) {
        for (const std::string& pat : ResourcePatterns(r))
          if (GlobMatch(pat, t.all_objects)) all_objects = true;
      } else if (json::Value nr = s.Get("NotResource"); !nr.Missing()) {
        all_objects = true;
        for (const std::string& pat : ResourcePatterns(nr))
          if (MayMatchUnder(pat, t.object_prefix)) all_objects = false;
      }
      if (!all_objects) continue;
    }
    const std::optional<Clause> c = SingleClause(s.Get("Condition"));
    if (!c || c->key != "s3:x-amz-server-side-encryption") continue;
    const std::vector<std::string> vals = Strings(c->values);
    if (c->op == "null") {
      if (std::any_of(vals.begin(), vals.end(),
                      [](const std::string& v) { return IEquals(v, "true"); }))
        return true;
    } else if (c->op == "stringnotequals" || c->op == "stringnotequalsifexists") {
      if (AllOf(vals, IsSseAlgorithm)) return true;
    }
  }
  return false;
}

int MaxPolicyVariablesInOneValue(json::Value policy) {
  const Parsed p = NormalizePolicy(policy);
  if (p.root.Missing()) return 0;
  return MaxVariables(p.root);
}

std::string_view BucketName(const model::ConfigurationItem& bucket) {
  if (auto n = bucket.Config().Get("name").String(); n && !n->empty()) return *n;
  if (!bucket.resource_name.empty()) return bucket.resource_name;
  return bucket.resource_id;
}

namespace {

// The first string value of a key named like `names` (case-insensitive) in `v` or below it.
std::optional<std::string> FindStringMember(json::Value v,
                                            std::initializer_list<std::string_view> names,
                                            int depth = 0) {
  if (depth > 6) return std::nullopt;
  for (const auto& [k, value] : v.Members()) {
    const std::string key = ToLower(k);
    for (std::string_view n : names)
      if (key == n)
        if (auto s = value.String(); s && !s->empty()) return std::string(*s);
  }
  for (const auto& m : v.Members())
    if (auto found = FindStringMember(m.value, names, depth + 1)) return found;
  for (json::Value e : v.Elements())
    if (auto found = FindStringMember(e, names, depth + 1)) return found;
  return std::nullopt;
}

// How an ACL grantee is named in an annotation, and its canonical user ID when it is one.
struct AclGrantee {
  std::string label;
  std::string canonical_id;  // "" unless the grantee is a canonical user
};

AclGrantee DescribeGrantee(json::Value grantee) {
  if (auto s = grantee.String()) {
    std::string_view name = *s;
    if (const size_t slash = name.rfind('/'); slash != std::string_view::npos)
      name = name.substr(slash + 1);
    return {std::string(name), ""};
  }
  std::string id;
  std::string type;
  std::string other;
  for (const auto& [k, v] : grantee.Members()) {
    const std::string key = ToLower(k);
    const std::string text = v.IsString() ? std::string(*v.String()) : std::string();
    if (key == "id") {
      id = text;
    } else if (key == "typeidentifier" || key == "type") {
      type = ToLower(text);
    } else if (key == "identifier") {
      other = text;
    } else if (key == "uri" || key == "emailaddress") {
      if (other.empty()) other = text;
    }
  }
  if (!other.empty() && id.empty() && (type == "id" || type == "canonicaluser")) id = other;
  if (!id.empty()) return {"canonical user " + Abbreviate(id, 16), id};
  std::string_view name = other;
  if (const size_t slash = name.rfind('/'); slash != std::string_view::npos)
    name = name.substr(slash + 1);
  return {name.empty() ? std::string("an unnamed grantee") : std::string(name), ""};
}

}  // namespace

std::optional<std::string> ObjectOwnership(const model::ConfigurationItem& bucket) {
  const Parsed p = ParseJsonish(bucket.Supplementary("BucketOwnershipControls"));
  if (p.root.Missing() || p.root.IsNull()) return std::nullopt;
  return FindStringMember(p.root, {"ownership", "objectownership"});
}

std::optional<std::vector<std::string>> AclGrantsToOthers(json::Value acl,
                                                          std::string_view fallback_owner_id) {
  const Parsed p = ParseJsonish(acl);
  if (!p.root.IsObject()) return std::nullopt;
  std::string owner;
  if (auto id = GetAny(GetAny(p.root, {"owner", "Owner"}), {"id", "ID"}).String()) owner = *id;
  if (owner.empty()) owner = std::string(fallback_owner_id);
  std::vector<std::string> out;
  for (std::string_view list_key : {"grantList", "grantSet", "Grants", "grants"}) {
    for (json::Value grant : p.root.Get(list_key).Elements()) {
      const AclGrantee who = DescribeGrantee(GetAny(grant, {"grantee", "Grantee"}));
      if (!who.canonical_id.empty()) {
        if (owner.empty()) return std::nullopt;
        if (who.canonical_id == owner) continue;
      }
      out.push_back(GetAny(grant, {"permission", "Permission"}).AsText() + " to " + who.label);
    }
  }
  return out;
}

PolicyJson ParsePolicyJson(json::Value policy) {
  Parsed p = NormalizePolicy(policy);
  if (!p.root.IsObject()) return {};
  return PolicyJson{std::move(p.doc), p.root};
}

std::vector<json::Value> PolicyStatements(json::Value policy_root) {
  return Statements(policy_root);
}

std::vector<PolicyPrincipal> PolicyPrincipals(json::Value element) {
  std::vector<PolicyPrincipal> out;
  if (auto s = element.String()) {
    out.push_back({*s == "*" ? "*" : "AWS", std::string(*s)});
    return out;
  }
  for (const auto& m : element.Members())
    for (const std::string& v : Strings(m.value)) out.push_back({std::string(m.key), v});
  return out;
}

std::string PrincipalAccount(std::string_view p) {
  auto is_account = [](std::string_view s) {
    return s.size() == 12 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (is_account(p)) return std::string(p);
  if (!StartsWith(p, "arn:")) return {};
  // arn:<partition>:<service>:<region>:<account>:<resource>
  std::string_view rest = p;
  for (int i = 0; i < 4; ++i) {
    const size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return {};
    rest.remove_prefix(colon + 1);
  }
  const std::string_view account = rest.substr(0, rest.find(':'));
  return is_account(account) ? std::string(account) : std::string();
}

std::vector<std::string> PolicyStringValues(json::Value element) {
  std::vector<std::string> out;
  if (auto s = element.String()) {
    out.emplace_back(*s);
    return out;
  }
  for (json::Value e : element.Elements())
    if (auto s = e.String()) out.emplace_back(*s);
  return out;
}

bool IsAllowStatement(json::Value statement) { return IsEffect(statement, "Allow"); }

std::string PolicyStatementLabel(json::Value statement, size_t index) {
  return StatementLabel(statement, index);
}

json::Value Field(json::Value obj, std::string_view name) {
  if (json::Value v = obj.Get(name); !v.Missing()) return v;
  const std::string want = ToLower(name);
  for (const auto& m : obj.Members())
    if (m.key.size() == want.size() && ToLower(m.key) == want) return m.value;
  return {};
}

json::Value VersioningConfiguration(const model::ConfigurationItem& bucket) {
  const json::Value versioning = bucket.Supplementary("BucketVersioningConfiguration");
  return versioning.IsObject() ? versioning : json::Value();
}

Verdict VersioningNotRecorded() {
  return Verdict::MissingFact(
      "AWS::S3::Bucket",
      "the configuration item has no supplementaryConfiguration.BucketVersioningConfiguration");
}

namespace {

// The required value of a Block Public Access parameter; nullopt if the value is not a boolean.
std::optional<bool> RequiredSetting(const RuleContext& ctx, std::string_view name) {
  const std::string v = ToLower(Trim(ctx.Param(name).value_or("")));
  if (v.empty() || v == "true" || v == "yes" || v == "y" || v == "t" || v == "1") return true;
  if (v == "false" || v == "no" || v == "n" || v == "f" || v == "0") return false;
  return std::nullopt;
}

}  // namespace

std::string AccountBlockPublicAccessMismatches(const RuleContext& ctx,
                                               const std::optional<BlockPublicAccess>& actual) {
  struct Setting {
    std::string_view name;
    bool actual;
  };
  const BlockPublicAccess bpa = actual.value_or(BlockPublicAccess{});
  const Setting settings[] = {
      {"BlockPublicAcls", bpa.block_public_acls},
      {"IgnorePublicAcls", bpa.ignore_public_acls},
      {"BlockPublicPolicy", bpa.block_public_policy},
      {"RestrictPublicBuckets", bpa.restrict_public_buckets},
  };
  std::string problems;
  for (const Setting& s : settings) {
    const std::optional<bool> wanted = RequiredSetting(ctx, s.name);
    if (!wanted) {
      problems += (problems.empty() ? "" : "; ") + std::string(s.name) + " parameter '" +
                  std::string(Trim(ctx.Param(s.name).value_or(""))) + "' is not True or False";
    } else if (actual && s.actual != *wanted) {
      problems += (problems.empty() ? "" : "; ") + std::string(s.name) + " is " +
                  (s.actual ? "true" : "false") + ", required " + (*wanted ? "true" : "false");
    }
  }
  return problems;
}

}  // namespace vigil::rules::s3
