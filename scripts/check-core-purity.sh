#!/usr/bin/env bash
# The domain core is pure (see docs/architecture.md): no clocks, randomness, I/O or networking.
# It may import only the Swift collections, and Foundation in the one file that reads the IANA time zone database.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
bad_imports=$(grep -rnE '^\s*(@_exported\s+)?import\s+' Sources/QuotaCore \
  | grep -vE 'import (DequeModule|OrderedCollections)$' \
  | grep -vE '^Sources/QuotaCore/Periods/TimeZoneRules.swift:[0-9]+:import Foundation$' || true)
if [ -n "$bad_imports" ]; then
  echo "QuotaCore imports a module it must not:"; echo "$bad_imports"; status=1
fi
bad_calls=$(grep -rnP 'Date\(\)|Date\.now|ContinuousClock|SuspendingClock|SystemRandomNumberGenerator|UUID\(\)|Task\.sleep|DispatchQueue|\.random\((?!.*using:)' Sources/QuotaCore \
  | grep -vP ':\d+:\s*///?' || true)
if [ -n "$bad_calls" ]; then
  echo "QuotaCore reads a clock or a random source:"; echo "$bad_calls"; status=1
fi
[ $status -eq 0 ] && echo "core purity: ok"
exit $status
