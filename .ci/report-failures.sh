#!/usr/bin/env bash
# After a failed `mvn -B verify`: prints, for each test class that failed or erred, its report and
# the tail of its captured output, so that a CI log that keeps only its end still names the cause.
cd "$(dirname "$0")/.."
found=0
for report in $(grep -lE '<(failure|error)[ >]' */target/surefire-reports/TEST-*.xml */target/failsafe-reports/TEST-*.xml 2>/dev/null); do
  found=1
  dir=$(dirname "$report")
  class=$(basename "$report" .xml); class=${class#TEST-}
  echo "=== ci: $class failed ($dir)"
  [ -f "$dir/$class.txt" ] && head -60 "$dir/$class.txt"
  if [ -f "$dir/$class-output.txt" ]; then
    echo "--- ci: last 80 lines of $class-output.txt"
    tail -80 "$dir/$class-output.txt"
  fi
done
[ "$found" = 1 ] || echo "ci: no failed test report found; the build failed outside the tests (see above)"
df -h / /tmp 2>/dev/null
free -m 2>/dev/null
