#include "rules/managed/elb/elb_util.h"

#include <utility>

#include "common/strings.h"

namespace vigil::rules::elb {

std::string Listener::Label() const {
  return protocol + " port " + listener.Get("loadBalancerPort").AsText();
}

std::vector<Listener> SecureListeners(const model::ConfigurationItem& lb) {
  std::vector<Listener> out;
  for (json::Value d : lb.Config().Get("listenerDescriptions").Elements()) {
    const json::Value l = d.Get("listener");
    std::string protocol = ToLower(Trim(l.Get("protocol").String().value_or("")));
    if (protocol != "https" && protocol != "ssl") continue;
    out.push_back({.description = d, .listener = l, .protocol = std::move(protocol)});
  }
  return out;
}

}  // namespace vigil::rules::elb
