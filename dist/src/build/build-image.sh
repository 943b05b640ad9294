#!/usr/bin/env bash
# Builds the self-contained imgclass image and its tarball (run by Maven in dist's package phase).
#
#   build-image.sh JAVA_HOME TARGET_DIR IMAGE_DIR TARBALL
#
# Reads TARGET_DIR/lib (runtime jars) and TARGET_DIR/man (troff pages made earlier in the build). Writes IMAGE_DIR:
#   bin/imgclass          the launcher (from src/main/image/bin)
#   runtime/              a jlink Java runtime with just the modules the jars use
#   lib/*.jar             the runtime jars, less the MXNet native jar (its library is in native/)
#   native/mxnet/         libmxnet.so and the libraries beside it (its RPATH is $ORIGIN)
#   native/pytorch/2.5.1-FLAVOR-linux-x86_64/  libtorch (cpu; cu124 too in the gpu build) and DJL's
#                         JNI library for it, laid out as DJL's engine cache, so nothing is unpacked
#                         at run time
#   native/jna/           JNA's own stub, so JNA need not unpack it into ~/.cache at run time
#   completion/imgclass   bash/zsh completion
#   man/man1/*.1          man pages
set -euo pipefail
JAVA_HOME_=$1 TARGET=$2 IMAGE=$3 TARBALL=$4
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_IMAGE="$HERE/../main/image"
JDK_BIN="$JAVA_HOME_/bin"
# Maven may run on a JRE-like layout where java.home lacks jlink; fall back to the JDK on PATH.
[ -x "$JDK_BIN/jlink" ] || JDK_BIN=$(dirname "$(readlink -f "$(command -v jlink)")")
LIB="$TARGET/lib"
WORK="$TARGET/image-work"
start=$(date +%s)

rm -rf "$IMAGE" "$WORK" "$TARBALL"
mkdir -p "$WORK"

native_jar=$(ls "$LIB"/mxnet-native-*.jar)
torch_jni_jar=$(ls "$LIB"/pytorch-jni-*.jar)
jna_jar=$(ls "$LIB"/jna-[0-9]*.jar)
say() { echo "imgclass image: $* ($(( $(date +%s) - start )) s)"; }

# --- Which JDK modules the jars use. jdeps refuses modular jars whose module-info names a module
# that is not present (commons-compress requires commons-lang3 statically), so it reads the
# classes as plain class-path directories instead. The third-party jars take most of its time and
# change only with their versions (in their names), so their answer is kept in TARGET_DIR keyed by
# their names and sizes; our own jars are read every time.
jdeps_modules() { # DIR JAR... : the JDK modules the classes in the jars use, comma-separated
  local dir=$1; shift
  rm -rf "$dir"; mkdir -p "$dir"
  for jar in "$@"; do unzip -q -o "$jar" '*.class' -d "$dir"; done
  rm -rf "$dir/META-INF"; find "$dir" -name module-info.class -delete
  "$JDK_BIN/jdeps" --print-module-deps --ignore-missing-deps -q "$dir"
}
ours=() theirs=()
for jar in "$LIB"/*.jar; do
  case $(basename "$jar") in
    imgclass-*) ours+=("$jar") ;;
    mxnet-native-*|pytorch-native-*) ;;  # no classes, only native libraries
    *) theirs+=("$jar") ;;
  esac
done
cache="$TARGET/jdeps-third-party.txt"
key=$(cd "$LIB" && for jar in "${theirs[@]}"; do stat -c '%n %s' "$(basename "$jar")"; done | sort | md5sum | cut -d' ' -f1)
if [ -f "$cache" ] && [ "$(head -1 "$cache")" = "$key" ]; then
  found_theirs=$(sed -n 2p "$cache")
else
  found_theirs=$(jdeps_modules "$WORK/theirs" "${theirs[@]}")
  printf '%s\n%s\n' "$key" "$found_theirs" > "$cache"
fi
found_ours=$(jdeps_modules "$WORK/ours" "${ours[@]}")
# Added because they are reached only by reflection or provider lookup, which jdeps cannot see:
#   jdk.unsupported  sun.misc.Unsafe, looked up by name by Gson (DJL's JSON) and Jackson;
#   jdk.zipfs        the provider behind FileSystems.newFileSystem for zip and jar files.
extra=jdk.unsupported,jdk.zipfs
modules=$(echo "$found_theirs,$found_ours,$extra" | tr , '\n' | sort -u | paste -sd, -)
say "modules $modules"

# --- The runtime.
"$JDK_BIN/jlink" --add-modules "$modules" --output "$IMAGE/runtime" \
  --strip-debug --no-header-files --no-man-pages --compress=2
# (--generate-cds-archive was tried: +22 MB and +10 s of build for no startup gain we could measure.)
say "runtime"

# --- Jars, native libraries, launcher, completion, man pages.
mkdir -p "$IMAGE/lib" "$IMAGE/native/mxnet" "$IMAGE/native/jna" "$IMAGE/bin"
for jar in "$LIB"/*.jar; do
  case $(basename "$jar") in
    mxnet-native-*|pytorch-native-*) ;;
    *) cp -p "$jar" "$IMAGE/lib/" ;;
  esac
done
# libtorch per flavor (cpu always; cu124 when the gpu profile added its jar), with the JNI library
# DJL 0.33 looks for beside it (bin/imgclass points PYTORCH_LIBRARY_PATH and ENGINE_CACHE_DIR here).
djl_version=$(basename "$torch_jni_jar" .jar | sed 's/^pytorch-jni-[0-9.]*-//')
for torch_jar in "$LIB"/pytorch-native-*.jar; do
  flavor=$(unzip -p "$torch_jar" native/lib/pytorch.properties | sed -n 's/^flavor=//p')
  version=$(unzip -p "$torch_jar" native/lib/pytorch.properties | sed -n 's/^version=\([0-9.]*\).*/\1/p')
  dir="$IMAGE/native/pytorch/$version-$flavor-linux-x86_64"
  mkdir -p "$dir"
  unzip -q -j "$torch_jar" "pytorch/$flavor/linux-x86_64/*" -d "$dir"
  unzip -q -p "$torch_jni_jar" "jnilib/linux-x86_64/$flavor/libdjl_torch.so" > "$dir/$djl_version-libdjl_torch.so"
  [ -s "$dir/libtorch.so" ] && [ -s "$dir/$djl_version-libdjl_torch.so" ] \
    || { echo "no libtorch or JNI library for $flavor from $torch_jar" >&2; exit 1; }
done
unzip -q -j "$native_jar" 'native/lib/*' 'META-INF/LICENSE*' -d "$IMAGE/native/mxnet"
unzip -q -j "$jna_jar" 'com/sun/jna/linux-x86-64/libjnidispatch.so' -d "$IMAGE/native/jna"
[ -f "$IMAGE/native/mxnet/libmxnet.so" ] || { echo "no libmxnet.so in $native_jar" >&2; exit 1; }
install -m 755 "$SRC_IMAGE/bin/imgclass" "$IMAGE/bin/imgclass"
mkdir -p "$IMAGE/completion" "$IMAGE/man/man1"
# picocli's generator exits 0 even when it cannot write, hence the check.
"$IMAGE/runtime/bin/java" -cp "$IMAGE/lib/*" picocli.AutoComplete --force --name=imgclass \
  "--completionScript=$IMAGE/completion/imgclass" io.imgclass.cli.Imgclass
[ -s "$IMAGE/completion/imgclass" ] || { echo "no completion script was generated" >&2; exit 1; }
cp "$TARGET"/man/man1/*.1 "$IMAGE/man/man1/"

say "layout"

# --- Class-data sharing for pack-recordio (lib/imgclass-pack.jsa): the classes an empty packing
# run loads (JDK, JNA, ours), parsed and verified here once. The JVM checks the archive against the
# absolute class path, so it serves the image where it was built (dist/target/imgclass, what
# ./imgclass runs); a moved copy ignores it (-Xshare:auto) and starts as it would without, and the
# tarball leaves it out. The class path is the launcher's: lib/*.jar in name order.
cds_cp=$(printf '%s:' "$IMAGE"/lib/*.jar)
cds_cp=${cds_cp%:}
mkdir -p "$WORK/cds"
: > "$WORK/cds/empty.lst"
"$IMAGE/runtime/bin/java" -XX:TieredStopAtLevel=1 "-XX:DumpLoadedClassList=$WORK/cds/classes.txt" -cp "$cds_cp" \
  "-Djna.boot.library.path=$IMAGE/native/jna" -Djna.nosys=true -Djna.nounpack=true -Duser.home="$WORK/cds" \
  io.imgclass.cli.Imgclass pack-recordio -q --allow-empty "$WORK/cds/empty.lst" "$WORK/cds"
"$IMAGE/runtime/bin/java" -Xshare:dump "-XX:SharedClassListFile=$WORK/cds/classes.txt" \
  "-XX:SharedArchiveFile=$IMAGE/lib/imgclass-pack.jsa" -Xlog:all=off -cp "$cds_cp"
say "class-data archive ($(du -h "$IMAGE/lib/imgclass-pack.jsa" | cut -f1))"

# --- The tarball: one top-level folder, reproducible order and owner.
tar --sort=name --owner=0 --group=0 --numeric-owner --exclude=imgclass-pack.jsa -C "$(dirname "$IMAGE")" \
  -czf "$TARBALL" "$(basename "$IMAGE")"
rm -rf "$WORK"
say "$IMAGE ($(du -sh "$IMAGE" | cut -f1)), $TARBALL ($(du -h "$TARBALL" | cut -f1))"
