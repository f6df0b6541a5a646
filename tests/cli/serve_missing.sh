# SPDX-License-Identifier: MIT
# reprint serve runs the service, reprint-serve, from the directory reprint is
# in. A reprint copied without it says what it looked for and exits 3 (a file
# that cannot be read), and --help still comes from the service.
bin=$(echo $REPRINT | awk '{print $NF}') # (the binary, without a valgrind prefix)
mkdir lone && cp "$bin" lone/reprint
./lone/reprint serve db 2>&1 | sed "s|$PWD|.|" >&2
echo "exit $(./lone/reprint serve db 2>/dev/null; echo $?)"
$REPRINT serve --help > help.txt
rc=$?
head -1 help.txt
echo "help: exit $rc"
