// Classic Load Balancer helpers shared by the ELB managed rules, which read
// AWS::ElasticLoadBalancing::LoadBalancer CIs: configuration.listenerDescriptions[] holds each
// listener ({"listener": {"protocol", "loadBalancerPort", "sslcertificateId", ...},
// "policyNames": [...]}).
#pragma once

#include <string>
#include <vector>

#include "json/value.h"
#include "model/configuration_item.h"

namespace vigil::rules::elb {

// A listener of a Classic Load Balancer.
struct Listener {
  json::Value description;  // the listenerDescriptions element (with policyNames)
  json::Value listener;     // its `listener` object
  std::string protocol;     // listener.protocol, lower-cased
  // "https port 443", for annotations.
  std::string Label() const;
};

// The listeners whose front-end protocol is HTTPS or SSL (compared ignoring case), in order.
std::vector<Listener> SecureListeners(const model::ConfigurationItem& lb);

}  // namespace vigil::rules::elb
