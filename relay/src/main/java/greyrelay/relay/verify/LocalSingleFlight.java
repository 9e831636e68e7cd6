package greyrelay.relay.verify;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/** {@link SingleFlight} within this process: a map from key to the running flight's result. Thread-safe. */
final class LocalSingleFlight<R> implements SingleFlight<R> {
    private final ConcurrentHashMap<String, CompletableFuture<R>> flights = new ConcurrentHashMap<>();

    @Override
    public Flight<R> enter(String key) {
        CompletableFuture<R> mine = new CompletableFuture<>();
        CompletableFuture<R> running = flights.putIfAbsent(key, mine);
        return running != null ? new Flight.Joined<>(running) : new Lead(key, mine);
    }

    @Override
    public Optional<Future<R>> running(String key) {
        return Optional.ofNullable(flights.get(key));
    }

    private final class Lead implements Flight.Lead<R> {
        private final String key;
        private final CompletableFuture<R> result;

        Lead(String key, CompletableFuture<R> result) {
            this.key = key;
            this.result = result;
        }

        @Override
        public Future<R> result() {
            return result;
        }

        @Override
        public void finish(R value) {
            flights.remove(key, result);
            result.complete(value);
        }

        @Override
        public void close() {
            if (result.isDone()) return;
            flights.remove(key, result);
            result.completeExceptionally(new IllegalStateException("the probe of " + key + " ended without a result"));
        }
    }
}
