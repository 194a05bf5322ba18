package io.multikube;

public final class Main {
    public static void main(String[] args) {
    }
}
