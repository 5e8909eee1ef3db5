// The PostgreSQL backend of Store (store.h), for several `vigil serve` processes sharing one
// database. Opened through Store::OpenUri with a `postgresql://…` URI.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "api/store.h"
#include "common/status.h"

namespace vigil::api {

// Connects to `uri` (a libpq connection URI) and creates the `documents` table in the
// connection's schema (the first of its search_path) if it is missing; several processes may do
// so at once. The store keeps one connection; if the connection was lost between transactions,
// the next Transact reconnects once before giving up.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri);

// `uri` without its password (`user:secret@host` → `user@host`, a `password=` parameter
// dropped), for messages and logs.
std::string RedactUri(std::string_view uri);

}  // namespace vigil::api
