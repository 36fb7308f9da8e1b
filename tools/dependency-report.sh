#!/usr/bin/env bash
# What has fallen behind Maven Central: every dependency and plugin of the build (their versions
# are the parent pom's <properties>), plus three things Maven's model does not see: the Maven that
# ./mvnw runs, the wrapper itself and google-java-format (fetched by spotless). Pre-releases never
# count (tools/versions-rules.xml). Run it at the start of every development session and before
# each release (docs/SECURITY.md, Dependencies).
#
#   tools/dependency-report.sh
#
# It runs the versions-maven-plugin (pinned in the parent pom's pluginManagement):
# display-dependency-updates, which shows for each dependency the newest release of its line, of
# its major version and overall (e.g. `4.1.115.Final -> 4.1.141.Final, 4.2.21.Final`), and
# display-plugin-updates, which shows only a plugin's newest release. It then prints what is behind
# and exits
#   0  when no dependency has a newer patch release (a newer release with the same major.minor)
#      and no plugin has any newer release: newer minor or major releases of dependencies are
#      listed, they do not fail;
#   1  when something does (a plugin counts as soon as it has any newer release, since the plugin
#      goal names only the newest);
#   2  when Maven itself failed (no network, a broken pom).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

property() { sed -n "s|.*<$1>\(.*\)</$1>.*|\1|p" pom.xml | head -1; }
wrapper=.mvn/wrapper/maven-wrapper.properties
maven_version=$(sed -n 's|^distributionUrl=.*/apache-maven-\(.*\)-bin\.zip$|\1|p' "$wrapper")
wrapper_version=$(sed -n 's|^wrapperVersion=||p' "$wrapper")
gjf_version=$(property google-java-format.version)
versions_plugin="org.codehaus.mojo:versions-maven-plugin:$(property versions-plugin.version)"

# The three outside Maven's model, named as dependencies of a throw-away pom.
cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice</groupId>
  <artifactId>sluice-tools-versions</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>org.apache.maven</groupId><artifactId>apache-maven</artifactId><version>$maven_version</version></dependency>
      <dependency><groupId>org.apache.maven.wrapper</groupId><artifactId>maven-wrapper</artifactId><version>$wrapper_version</version></dependency>
      <dependency><groupId>com.google.googlejavaformat</groupId><artifactId>google-java-format</artifactId><version>$gjf_version</version></dependency>
    </dependencies>
  </dependencyManagement>
</project>
EOF

options=(
  -B -U
  "-Dmaven.version.rules=file://$root/tools/versions-rules.xml"
  -DprocessDependencyManagementTransitive=false # a BOM counts as itself, not as all it lists
  -Dversions.showNewestPerSegment=true
  -Dversions.outputLineWidth=200
)
echo "Asking Maven Central (versions-maven-plugin, rules in tools/versions-rules.xml) ..."
if ! ./mvnw "${options[@]}" "$versions_plugin:display-dependency-updates" \
  "$versions_plugin:display-plugin-updates" >"$work/build.log" 2>&1 ||
  ! ./mvnw "${options[@]}" -f "$work/pom.xml" "$versions_plugin:display-dependency-updates" \
    >"$work/tools.log" 2>&1; then
  cat "$work/build.log" "$work/tools.log" 2>/dev/null | tail -40
  echo "dependency-report: Maven failed (output above); nothing was checked" >&2
  exit 2
fi

# "[INFO]   g:a ..... current -> newest of its line, newest of its major, newest" for dependencies;
# "[INFO]   a ..... current -> newest" in the plugin section (only "The following plugin updates
# are available:"; the "Require Maven X" sections list what older Mavens could run).
awk '
  /dependencies in .* have newer versions:/ { section = "dependency"; next }
  /The following plugin updates are available:/ { section = "plugin"; next }
  /^\[INFO\] [^ ]/ || /^\[(WARNING|ERROR)\]/ { section = "" }
  section != "" && / -> / {
    line = $0
    sub(/^\[INFO\] +/, "", line)
    split(line, parts, / +\.+ +| +-> +/)
    print section "\t" parts[1] "\t" parts[2] "\t" parts[3]
  }
' "$work/build.log" "$work/tools.log" | sort -u >"$work/updates.tsv"

# Same major.minor: the first two numbers of the version (4.2 of 4.2.18.Final, 42.7 of 42.7.4).
line_of() { sed -E 's/^([0-9]+)(\.([0-9]+))?.*/\1.\3/' <<<"$1"; }
patch=()
other=()
while IFS=$'\t' read -r kind name current newer; do
  entry=$(printf '%-62s %s -> %s' "$name" "$current" "$newer")
  if [[ $kind == plugin ]]; then
    patch+=("plugin     $entry")
    continue
  fi
  behind=
  IFS=', ' read -r -a candidates <<<"$newer"
  for candidate in "${candidates[@]}"; do
    if [[ -n $candidate && $(line_of "$candidate") == "$(line_of "$current")" ]]; then
      behind=yes
    fi
  done
  if [[ -n $behind ]]; then
    patch+=("dependency $entry")
  else
    other+=("dependency $entry")
  fi
done <"$work/updates.tsv"

echo
echo "Checked: the dependencies and plugins of every module, Maven $maven_version (wrapper"
echo "$wrapper_version) and google-java-format $gjf_version; pre-releases ignored."
echo
if ((${#other[@]})); then
  echo "Newer minor or major releases (listed, not failed; the lines kept are in docs/SECURITY.md):"
  printf '  %s\n' "${other[@]}"
  echo
fi
if ((${#patch[@]})); then
  echo "BEHIND: a newer patch release (or, for a plugin, any newer release) exists:"
  printf '  %s\n' "${patch[@]}"
  exit 1
fi
echo "OK: nothing has a newer patch release, and every plugin is at its newest release."
