# SPDX-License-Identifier: MIT
# reprint-mpi's own messages, each printed once (by rank 0) however many ranks:
# the commands it runs, the help, a usage error, what it refuses (commands
# other than scan and dedup, standard input); the default scan runs.
. "$DATA/../cli/mpi_lib.inc"
mpi 3 --version | sed 's/ [0-9][0-9.]*$/ VERSION/'
echo "--version: exit $?"
mpi 3 --help > usage.txt # (not piped into head: mpirun reports the closed pipe)
head -n 1 usage.txt
mpi 3 scan --help > help.txt
$REPRINT scan --help | cmp -s - help.txt && echo "scan --help: reprint's, once"
mpi 3 scan --fast --bogus x.jsonl
echo "unknown option: exit $?"
mpi 3 align a.txt b.txt
echo "align: exit $?"
mpi 3
echo "no command: exit $?"
printf '%s\n' '{"id": "a", "text": "One."}' '{"id": "b", "text": "Two."}' > two.jsonl
mpi 3 scan --fast - < two.jsonl
echo "standard input: exit $?"
mpi 3 scan two.jsonl
echo "scan without --fast (the default scan): exit $?"
ls
