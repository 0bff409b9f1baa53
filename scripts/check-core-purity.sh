#!/usr/bin/env bash
# The domain core and the cluster core are pure (see docs/architecture.md): no clocks, randomness, I/O or
# networking. QuotaCore may import only the Swift collections, and Foundation in the one file that reads the
# IANA time zone database; QuotaCluster only QuotaCore and the Swift collections.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
bad_imports=$(grep -rnE '^\s*(@_exported\s+)?import\s+' Sources/QuotaCore Sources/QuotaCluster \
  | grep -vE 'import (DequeModule|OrderedCollections)$' \
  | grep -vE '^Sources/QuotaCluster/.*:import QuotaCore$' \
  | grep -vE '^Sources/QuotaCore/Periods/TimeZoneRules.swift:[0-9]+:import Foundation$' || true)
if [ -n "$bad_imports" ]; then
  echo "A pure core imports a module it must not:"; echo "$bad_imports"; status=1
fi
bad_calls=$(grep -rnP 'Date\(\)|Date\.now|ContinuousClock|SuspendingClock|SystemRandomNumberGenerator|UUID\(\)|Task\.sleep|DispatchQueue|\.random\((?!.*using:)' Sources/QuotaCore Sources/QuotaCluster \
  | grep -vP ':\d+:\s*///?' || true)
if [ -n "$bad_calls" ]; then
  echo "A pure core reads a clock or a random source:"; echo "$bad_calls"; status=1
fi
[ $status -eq 0 ] && echo "core purity: ok"
exit $status
