#!/usr/bin/env bash
# Copies the screenshots that the user guide shows from the browser tests' output
# (e2e/screenshots, written by `npm test` in e2e/) into docs/img. Run it after the
# browser tests when the screens change.
set -euo pipefail

cd "$(dirname "$0")/.."
images=(
    field-day field-offline field-form field-checkin-refused
    console-live-today console-live-device-dialog console-visit-pending
    import-step1-file import-step2-mapping import-step3-review console-reports
)
missing=0
for name in "${images[@]}"; do
    if [[ -f "e2e/screenshots/$name.png" ]]; then
        cp "e2e/screenshots/$name.png" "docs/img/$name.png"
    else
        echo "missing e2e/screenshots/$name.png: run the browser tests first" >&2
        missing=1
    fi
done
exit "$missing"
