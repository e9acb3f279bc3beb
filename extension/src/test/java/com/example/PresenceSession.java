package com.example;

/** A user's session class at a fixed name, for tests that pin failure messages word for word. */
public final class PresenceSession {
}
