package com.example.shop;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Answers every GET with 200 and the path it was asked for. */
@RestController
class ShopController {

    @GetMapping("/**")
    Mono<String> page(ServerHttpRequest request) {
        return Mono.just("shop: " + request.getPath().value() + "\n");
    }
}
