package io.multikube.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.multikube.auth.Identity;
import io.multikube.pipeline.InboundRequest;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.status.RouterException;

/** Several observers as one; each trail reports to every observer's trail, in order. */
record Observers(List<RequestObserver> observers) implements RequestObserver {
    Observers {
        observers = List.copyOf(observers);
    }

    @Override
    public void admit() {
        observers.forEach(RequestObserver::admit);
    }

    @Override
    public void refused(InboundRequest inbound, Optional<Identity> identity, Optional<String> context, String auditId,
                        RouterException refusal, Instant received) {
        observers.forEach(observer -> observer.refused(inbound, identity, context, auditId, refusal, received));
    }

    @Override
    public RequestTrail forwarding(InboundRequest inbound, OutboundRequest outbound, Instant received) {
        List<RequestTrail> trails = new ArrayList<>(observers.size());
        for (RequestObserver observer : observers) {
            trails.add(observer.forwarding(inbound, outbound, received));
        }
        if (trails.isEmpty()) {
            return RequestTrail.NONE;
        }
        return trails.size() == 1 ? trails.get(0) : new RequestTrail() {
            @Override
            public void started(int code) {
                trails.forEach(trail -> trail.started(code));
            }

            @Override
            public void completed(int code, long bytes) {
                trails.forEach(trail -> trail.completed(code, bytes));
            }

            @Override
            public void failed(RouterException error) {
                trails.forEach(trail -> trail.failed(error));
            }

            @Override
            public void upstreamAnswered(java.time.Duration elapsed) {
                trails.forEach(trail -> trail.upstreamAnswered(elapsed));
            }

            @Override
            public void annotate(String key, String value) {
                trails.forEach(trail -> trail.annotate(key, value));
            }
        };
    }
}
