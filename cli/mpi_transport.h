/* SPDX-License-Identifier: MIT */
/*
 * mpi_transport.h -- the library's rp_transport on MPI_COMM_WORLD, for
 * reprint-mpi (cli/mpi.c) and bench/bench_mpi.c.
 */
#ifndef RP_MPI_TRANSPORT_H
#define RP_MPI_TRANSPORT_H

#include "reprint.h"

/*
 * Fill t for this rank of MPI_COMM_WORLD (after MPI_Init; sets
 * MPI_ERRORS_RETURN on it, so a failed call is a failed run, not an abort).
 * Reads the test hooks REPRINT_MPI_TEST_DIE_RANK and REPRINT_MPI_TEST_CHUNK
 * (cli/mpi_transport.c). @return 0, or -1 out of memory
 */
int cli_mpi_transport(rp_transport *t);
void cli_mpi_transport_free(rp_transport *t);

#endif /* RP_MPI_TRANSPORT_H */
