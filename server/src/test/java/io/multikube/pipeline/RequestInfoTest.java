package io.multikube.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.multikube.spi.audit.ObjectReference;

class RequestInfoTest {
    /** Expected values as the API server's RequestInfoFactory derives them. */
    @ParameterizedTest(name = "{0} {1}?{2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET    | /api/v1/namespaces/team/pods/web-0      | -                   | get              | pods        | team | web-0 | -       | v1 | -",
            "GET    | /api/v1/namespaces/team/pods            | limit=500           | list             | pods        | team | -     | -       | v1 | -",
            "GET    | /api/v1/namespaces/team/pods            | watch=true&rv=1     | watch            | pods        | team | -     | -       | v1 | -",
            "GET    | /api/v1/namespaces/team/pods            | watch=1             | watch            | pods        | team | -     | -       | v1 | -",
            "GET    | /api/v1/namespaces/team/pods            | watch=false         | list             | pods        | team | -     | -       | v1 | -",
            "GET    | /api/v1/watch/namespaces/team/pods      | -                   | watch            | pods        | team | -     | -       | v1 | -",
            "GET    | /api/v1/pods                            | -                   | list             | pods        | -    | -     | -       | v1 | -",
            "POST   | /api/v1/namespaces/team/pods            | -                   | create           | pods        | team | -     | -       | v1 | -",
            "PUT    | /api/v1/namespaces/team/pods/web-0      | -                   | update           | pods        | team | web-0 | -       | v1 | -",
            "PATCH  | /apis/apps/v1/namespaces/team/deployments/web | -             | patch            | deployments | team | web   | -       | v1 | apps",
            "DELETE | /api/v1/namespaces/team/pods/web-0      | -                   | delete           | pods        | team | web-0 | -       | v1 | -",
            "DELETE | /api/v1/namespaces/team/pods            | -                   | deletecollection | pods        | team | -     | -       | v1 | -",
            "GET    | /api/v1/namespaces/team/pods/web-0/log  | follow=true         | get              | pods        | team | web-0 | log     | v1 | -",
            "POST   | /api/v1/namespaces/team/pods/web-0/exec | command=sh          | create           | pods        | team | web-0 | exec    | v1 | -",
            "GET    | /api/v1/namespaces/team                 | -                   | get              | namespaces  | team | team  | -       | v1 | -",
            "PUT    | /api/v1/namespaces/team/finalize        | -                   | update           | namespaces  | team | team  | finalize | v1 | -",
            "GET    | /api/v1/namespaces                      | -                   | list             | namespaces  | -    | -     | -       | v1 | -",
            "GET    | /api/v1/proxy/namespaces/team/services/web/x/y | -            | proxy            | services    | team | web   | -       | v1 | -",
            "GET    | /apis/example.com/v1/widgets/big%20one  | -                   | get              | widgets     | -    | big one | -     | v1 | example.com",
            // Empty segments count for nothing: a trailing slash, and repeated ones.
            "GET    | /api/v1/namespaces/team/pods/           | -                   | list             | pods        | team | -     | -       | v1 | -",
            "GET    | //api//v1///namespaces/team/pods/web-0  | -                   | get              | pods        | team | web-0 | -       | v1 | -",
            "GET    | api/v1/pods                             | -                   | list             | pods        | -    | -     | -       | v1 | -",
    })
    void derivesVerbAndObjectLikeTheApiServer(String method, String path, String query, String verb,
                                             String resource, String namespace, String name, String subresource,
                                             String version, String group) {
        RequestInfo info = RequestInfo.of(method, path, query == null ? "" : query);
        assertThat(info.verb()).isEqualTo(verb);
        assertThat(info.objectRef()).contains(new ObjectReference(resource, Optional.ofNullable(namespace),
                Optional.ofNullable(name), group == null ? "" : group, version, Optional.ofNullable(subresource)));
    }

    @ParameterizedTest(name = "{0} {1} is not a resource request")
    @CsvSource({"GET,/version,get", "GET,/api,get", "GET,/apis,get", "GET,/apis/apps,get", "GET,/api/v1,get",
            "GET,/apis/apps/v1,get", "GET,/openapi/v3,get", "POST,/healthz,post", "GET,/,get", "GET,'',get",
            "GET,///,get"})
    void nonResourceRequestsUseTheHttpMethod(String method, String path, String verb) {
        RequestInfo info = RequestInfo.of(method, path, "");
        assertThat(info.verb()).isEqualTo(verb);
        assertThat(info.objectRef()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}?{2} as sent -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET  | /clusters/dev/api/v1/pods              | -          | list",
            "GET  | /clusters/dev/api/v1/pods              | watch=true | watch",
            "POST | /clusters/dev/api/v1/namespaces/a/pods | -          | create",
            "GET  | /clusters/dev                          | -          | get",
            "GET  | /api/v1/namespaces/a/pods/b            | -          | get",
    })
    void aClientsRequestIsNamedWithoutItsClustersPrefix(String method, String path, String query, String verb) {
        InboundRequest inbound = new InboundRequest(method, path, query == null ? "" : query, Headers.of(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000), false);
        assertThat(RequestInfo.ofClientRequest(inbound).verb()).isEqualTo(verb);
    }
}
