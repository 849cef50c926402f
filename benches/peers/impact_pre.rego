# The benchmark scenario's policy for regorus (benches/README.md), unchanged.
# Variant (b): impact precomputed by the host and passed as input.impacted.
package change

import rego.v1

impacted := {n | some n in input.impacted}
