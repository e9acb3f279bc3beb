package com.acme.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client's recent answers, by question: at most {@code maxEntries}, each for at most
 * {@code maxAge}. One per client, so that clients never see each other's answers.
 */
final class ResponseCache {

    private record Answer(String text, long atNanos) {
    }

    private final long maxAgeNanos;
    private final Map<String, Answer> answers;

    ResponseCache(int maxEntries, Duration maxAge) {
        this.maxAgeNanos = maxAge.toNanos();
        this.answers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized String get(String question) {
        Answer answer = answers.get(question);
        if (answer == null || System.nanoTime() - answer.atNanos() > maxAgeNanos) {
            return null;
        }
        return answer.text();
    }

    synchronized void put(String question, String text) {
        answers.put(question, new Answer(text, System.nanoTime()));
    }
}
