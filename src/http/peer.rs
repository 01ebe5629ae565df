//! Noticing that a client has gone while its request is still being answered.
//!
//! actix-web keeps polling a handler whose client has closed the connection until the
//! handler writes something (actix/actix-web#1313, #3462). A SPARQL query that takes
//! seconds before its first byte would then run on, for nobody, up to the time limit;
//! a client that gives up and retries would pile such queries up. So each connection
//! keeps a duplicate of its socket, which a waiting handler peeks at now and then.

use actix_web::HttpRequest;
use actix_web::dev::Extensions;
use std::io::ErrorKind;
use std::net::TcpStream;
use std::os::fd::AsFd;

/// The client's end of a connection, as seen from the server.
pub struct Peer(TcpStream);

impl Peer {
    /// For `HttpServer::on_connect`: remembers the connection's socket, when it is TCP.
    pub fn remember(connection: &dyn std::any::Any, data: &mut Extensions) {
        let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() else {
            return;
        };
        // A duplicate descriptor of the same socket, closed with the connection's data.
        // The socket is non-blocking already (tokio's); said again so a peek never blocks.
        let socket = tcp
            .as_fd()
            .try_clone_to_owned()
            .map(TcpStream::from)
            .and_then(|socket| socket.set_nonblocking(true).map(|()| socket));
        match socket {
            Ok(socket) => {
                data.insert(Self(socket));
            }
            Err(error) => tracing::debug!(%error, "no duplicate of the connection's socket"),
        }
    }

    /// Whether the client of `request` has closed its connection (or reset it).
    ///
    /// A client that only shut its sending side while it waits for the answer counts as
    /// gone too, as it does for nginx by default; HTTP clients do not do that.
    pub fn has_left(request: &HttpRequest) -> bool {
        let Some(Self(socket)) = request.conn_data::<Self>() else {
            return false;
        };
        match socket.peek(&mut [0; 1]) {
            // End of stream: the client closed the connection.
            Ok(0) => true,
            // A pipelined request waiting to be read: the client is there.
            Ok(_) => false,
            Err(error) => !matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted),
        }
    }
}
