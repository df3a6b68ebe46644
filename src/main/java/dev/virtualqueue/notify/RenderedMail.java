package dev.virtualqueue.notify;

import java.util.Map;

/**
 * A message ready for the mail client: one-line subject, plain-text and HTML parts, and the extra
 * headers ({@code List-Unsubscribe}, {@code List-Unsubscribe-Post}, {@code Auto-Submitted}).
 */
public record RenderedMail(String subject, String text, String html, Map<String, String> headers) {
}
