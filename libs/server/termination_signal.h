#ifndef LIBS_SERVER_TERMINATION_SIGNAL_H_
#define LIBS_SERVER_TERMINATION_SIGNAL_H_

// Graceful shutdown on SIGTERM/SIGINT without work in a signal handler: the
// signals are blocked in every thread and the main thread collects them with
// sigwait(), so "handling" a signal is just the main thread waking up.

namespace lienthong {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// later. Call first in main(), before any thread (gRPC's included) exists.
void BlockTerminationSignals();

// Waits until SIGTERM or SIGINT arrives; returns its number.
int WaitForTerminationSignal();

}  // namespace lienthong

#endif  // LIBS_SERVER_TERMINATION_SIGNAL_H_
