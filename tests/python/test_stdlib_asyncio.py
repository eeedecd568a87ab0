"""asyncio, unmodified: its selector event loop over select.poll.

Clients against the harness's native servers, servers in the guest with
clients in the same loop, and a server in the guest fetched by a native
client (the harness's peer) while the loop serves.
"""

import asyncio
import selectors
import socket
import unittest

import peer
import support

FAMILY = {"v4": socket.AF_INET, "v6": socket.AF_INET6}


async def echo_handler(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()


class LoopTest(unittest.TestCase):
    def test_run(self):
        async def main():
            await asyncio.sleep(0.01)
            return 42

        self.assertEqual(asyncio.run(main()), 42)

    def test_loop_uses_poll_selector(self):
        async def main():
            return asyncio.get_running_loop()._selector

        with asyncio.Runner() as runner:
            sel = runner.run(main())
            self.assertIsInstance(sel, selectors.PollSelector)
            self.assertIs(type(runner.get_loop()), asyncio.SelectorEventLoop)

    def test_select_selector_loop_echo(self):
        # The done-when: asyncio on selectors.SelectSelector, i.e.
        # select.select (a built-in, so no method binding), serves and
        # echoes on loopback in one loop.
        async def main():
            server = await asyncio.start_server(echo_handler, "127.0.0.1", 0)
            async with server:
                port = server.sockets[0].getsockname()[1]
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                msg = b"over select.select " * 10000
                writer.write(msg)
                writer.write_eof()
                data = await reader.read()
                writer.close()
                await writer.wait_closed()
            return data == msg, asyncio.get_running_loop()._selector

        loop = asyncio.SelectorEventLoop(selectors.SelectSelector())
        try:
            echoed, sel = loop.run_until_complete(main())
        finally:
            loop.close()
        self.assertTrue(echoed)
        self.assertIsInstance(sel, selectors.SelectSelector)

    def test_call_later_and_gather(self):
        async def main():
            loop = asyncio.get_running_loop()
            start = loop.time()
            results = await asyncio.gather(*(asyncio.sleep(0.05 * i, i) for i in range(5)))
            return results, loop.time() - start

        results, elapsed = asyncio.run(main())
        self.assertEqual(results, [0, 1, 2, 3, 4])
        self.assertGreaterEqual(elapsed, 0.19)
        self.assertLess(elapsed, 5)


class NameTest(unittest.TestCase):
    """Names need loop.getaddrinfo, which asyncio runs in a thread pool;
    python.wasm has one thread, and sitecustomize adjusts asyncio to call
    socket.getaddrinfo directly (python/stdlib/_wasisock_hooks.py)."""

    def test_adjusted(self):
        import asyncio.base_events

        self.assertTrue(asyncio.base_events.BaseEventLoop.getaddrinfo.__wasisock_adjusted__)

    def test_loop_getaddrinfo_and_getnameinfo(self):
        async def main():
            loop = asyncio.get_running_loop()
            infos = await loop.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
            name = await loop.getnameinfo(("127.0.0.1", 80))
            with self.assertRaises(socket.gaierror):
                await loop.getaddrinfo("nonexistent.invalid", 80)
            return infos, name, loop._default_executor

        infos, name, executor = asyncio.run(main())
        self.assertTrue(infos)
        self.assertTrue(all(i[4][:2] in (("127.0.0.1", 80), ("::1", 80)) for i in infos), infos)
        self.assertEqual(name, ("localhost", "http"))
        self.assertIsNone(executor)  # no thread pool was made

    def test_open_connection_and_start_server_by_name(self):
        async def main():
            reader, writer = await asyncio.open_connection("localhost", support.DUAL["echo"])
            writer.write(b"by name\n")
            line = await reader.readline()
            writer.close()
            await writer.wait_closed()
            server = await asyncio.start_server(echo_handler, "localhost", 0)
            async with server:
                host, port = server.sockets[0].getsockname()[:2]
                r2, w2 = await asyncio.open_connection("localhost", port)
                w2.write(b"served by name\n")
                line2 = await r2.readline()
                w2.close()
                await w2.wait_closed()
            return line, line2

        self.assertEqual(asyncio.run(main()), (b"by name\n", b"served by name\n"))


class ClientTestV4(support.BothFamilies, unittest.TestCase):
    FAMILY = "v4"

    def test_open_connection_echo(self):
        async def main():
            reader, writer = await asyncio.open_connection(self.host, self.srv["echo"])
            self.assertEqual(writer.get_extra_info("peername")[:2], (self.host, self.srv["echo"]))
            for i in range(20):
                line = f"line {i}\n".encode()
                writer.write(line)
                await writer.drain()
                self.assertEqual(await reader.readline(), line)
            big = bytes(range(256)) * 4096
            writer.write(big)
            self.assertEqual(await reader.readexactly(len(big)), big)
            writer.write_eof()
            self.assertEqual(await reader.read(), b"")
            writer.close()
            await writer.wait_closed()

        asyncio.run(main())

    def test_banner(self):
        async def main():
            reader, writer = await asyncio.open_connection(self.host, self.srv["banner"])
            data = await reader.read()
            writer.close()
            await writer.wait_closed()
            return data

        self.assertEqual(asyncio.run(main()), support.BANNER)

    def test_refused(self):
        async def main():
            await asyncio.open_connection(self.host, self.srv["refused"])

        with self.assertRaises(ConnectionRefusedError):
            asyncio.run(main())

    def test_wait_for_timeout(self):
        async def main():
            reader, writer = await asyncio.open_connection(self.host, self.srv["echo"])
            try:
                with self.assertRaises(TimeoutError):
                    await asyncio.wait_for(reader.read(10), 0.2)
            finally:
                writer.close()
                await writer.wait_closed()

        asyncio.run(main())

    def test_low_level_sock_calls(self):
        async def main():
            loop = asyncio.get_running_loop()
            s = socket.socket(FAMILY[self.FAMILY])
            s.setblocking(False)
            with s:
                await loop.sock_connect(s, (self.host, self.srv["echo"]))
                await loop.sock_sendall(s, b"low level")
                got = b""
                while len(got) < 9:
                    got += await loop.sock_recv(s, 100)
                return got

        self.assertEqual(asyncio.run(main()), b"low level")

    def test_udp(self):
        class Proto(asyncio.DatagramProtocol):
            def __init__(self):
                self.received = asyncio.get_running_loop().create_future()

            def datagram_received(self, data, addr):
                self.received.set_result((data, addr))

        async def main():
            loop = asyncio.get_running_loop()
            transport, proto = await loop.create_datagram_endpoint(
                Proto, remote_addr=(self.host, self.srv["udp_echo"]))
            try:
                transport.sendto(b"async datagram")
                return await asyncio.wait_for(proto.received, 10)
            finally:
                transport.close()

        data, addr = asyncio.run(main())
        self.assertEqual(data, b"async datagram")
        self.assertEqual(addr[:2], (self.host, self.srv["udp_echo"]))

    def test_server_and_clients_in_one_loop(self):
        async def client(port, n):
            reader, writer = await asyncio.open_connection(self.host, port)
            msg = f"client {n} ".encode() * (n + 1) * 1000
            writer.write(msg)
            writer.write_eof()
            data = await reader.read()
            writer.close()
            await writer.wait_closed()
            return data == msg

        async def main():
            server = await asyncio.start_server(echo_handler, self.host, 0)
            async with server:
                sockname = server.sockets[0].getsockname()
                self.assertEqual(sockname[0], self.host)
                results = await asyncio.gather(*(client(sockname[1], n) for n in range(10)))
            return results

        self.assertEqual(asyncio.run(main()), [True] * 10)


class ClientTestV6(ClientTestV4):
    FAMILY = "v6"


class NativeClientTest(unittest.TestCase):
    def test_native_client_of_asyncio_server(self):
        async def main():
            server = await asyncio.start_server(echo_handler, "127.0.0.1", 0)
            async with server:
                port = server.sockets[0].getsockname()[1]
                reply = await peer.atcp(port, b"native to asyncio " * 5000)
            return reply["received"]

        self.assertEqual(asyncio.run(main()), b"native to asyncio " * 5000)

    def test_native_http_client_of_asyncio_server(self):
        async def handle(reader, writer):
            request = await reader.readuntil(b"\r\n\r\n")
            body = b"asyncio says hi to " + request.split(b" ")[1]
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
            writer.close()
            await writer.wait_closed()

        async def main():
            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            async with server:
                port = server.sockets[0].getsockname()[1]
                return await peer.ahttp(f"http://127.0.0.1:{port}/page")

        reply = asyncio.run(main())
        self.assertEqual((reply["status"], reply["body"]), (200, b"asyncio says hi to /page"))


if __name__ == "__main__":
    unittest.main()
