package com.example.shop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The filter as first written: it keeps each exchange so that an admin page could list the recent requests, and never
 * lets one go. A singleton bean, so every exchange the server ever handled (its request, response, attributes and
 * session holder) stays reachable. The profile {@code keep-exchanges} selects it.
 */
@Component
@Profile("keep-exchanges")
class RecentExchangesFilter implements WebFilter {

    private final List<ServerWebExchange> recent = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        recent.add(exchange);
        return chain.filter(exchange);
    }

    int recentCount() {
        return recent.size();
    }
}
