package com.example.prices;

import java.io.IOException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Fetches prices over HTTPS with OkHttp. The version released first built an {@code OkHttpClient} per request:
 * each has a connection pool of its own, which keeps its connection open after the response was read.
 */
public final class PriceClient {

    private final SSLSocketFactory tls;
    private final X509TrustManager trust;
    private final OkHttpClient shared;

    private PriceClient(SSLSocketFactory tls, X509TrustManager trust, boolean clientPerRequest) {
        this.tls = tls;
        this.trust = trust;
        this.shared = clientPerRequest ? null : newClient();
    }

    public static PriceClient clientPerRequest(SSLSocketFactory tls, X509TrustManager trust) {
        return new PriceClient(tls, trust, true);
    }

    public static PriceClient sharedClient(SSLSocketFactory tls, X509TrustManager trust) {
        return new PriceClient(tls, trust, false);
    }

    public String fetch(String url) throws IOException {
        OkHttpClient client = shared != null ? shared : newClient();
        try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
            return response.body().string();
        }
    }

    private OkHttpClient newClient() {
        return new OkHttpClient.Builder().sslSocketFactory(tls, trust).build();
    }
}
